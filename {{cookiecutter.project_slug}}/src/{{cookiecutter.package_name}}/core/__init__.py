"""The machinery every command runs on, kept current by the sturdy template.

``copier update`` brings the template's fixes to this folder (and to
``tests/core/``) with a three-way merge: your own edits here are kept, and
where you and the template changed the same lines, the conflict is marked
inline. Everything outside these two folders is yours and never touched.
"""
