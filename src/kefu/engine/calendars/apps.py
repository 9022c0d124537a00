from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.calendars"
    label = "calendars"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # why: what ready() imports uses the models, importable only once every app is loaded
        from kefu.core.actions import track_configuration
        from kefu.engine.calendars import models

        track_configuration(  # kept per process (issue 11)
            models.Calendar,
            models.CalendarWindow,
            models.CalendarOverride,
            models.HolidayYear,
            models.HolidayDay,
        )
