from . import psa_sla_report
