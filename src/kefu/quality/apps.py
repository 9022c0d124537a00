from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    """Quality (QA-1, APR-1, QC-1, TRN-1): inspection of cases and recordings with appeals and
    calibration, appraisal, QC groups, training and the onboarding gate."""

    name = "kefu.quality"
    label = "quality"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: these modules use the models, which may be imported only once the app registry is ready
        from kefu.cases.queries import routing
        from kefu.insights.queries import cards, kpis
        from kefu.quality import jobs, labels
        from kefu.quality.queries import appraisals, inspections, qcgroups, training

        labels.register()
        labels.register_appraisal()  # APR-1
        jobs.register_jobs()  # QA-1 weekly sampling and appeal windows; QC-1 the monthly check
        qcgroups.register_labels()
        training.register_labels()
        # TRN-1: a new agent in onboarding gets no live case (cases never imports quality)
        routing.register_unqualified("training", training.unqualified_q)
        # KPI-1: the QA score is read from the final inspections
        kpis.register_source(
            "qa_score", inspections.kpi_tally, inspections.kpi_drill, inspections.kpi_by_agent
        )
        # APR-1: the person's latest published appraisal and coaching state on the per-agent card
        cards.register_section("appraisal", _("Appraisal"), appraisals.card_rows)
