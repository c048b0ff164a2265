"""The template's machinery's tests: kept current by `copier update`."""
