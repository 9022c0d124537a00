from django.apps import AppConfig


class Config(AppConfig):
    """Quality (QA-1, APR-1, QC-1, TRN-1): inspection of cases and recordings with appeals and
    calibration, appraisal, QC groups, training and the onboarding gate."""

    name = "kefu.quality"
    label = "quality"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: these modules use the models, which may be imported only once the app registry is ready
        from kefu.cases.queries import routing
        from kefu.insights.queries import kpis
        from kefu.quality import jobs, labels
        from kefu.quality.queries import inspections, qcgroups, training

        labels.register()
        labels.register_appraisal()  # APR-1
        jobs.register_jobs()  # QA-1 weekly sampling and appeal windows; QC-1 the monthly check
        qcgroups.register_labels()
        training.register_labels()
        # TRN-1: a new agent in onboarding gets no live case (cases never imports quality)
        routing.register_unqualified("training", training.unqualified_q)
        # KPI-1: the QA score is read from the final inspections
        kpis.register_source("qa_score", inspections.kpi_tally)
