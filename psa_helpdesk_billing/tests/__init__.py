from . import test_psa_ticket_time_billing
from . import test_psa_sla_credit
