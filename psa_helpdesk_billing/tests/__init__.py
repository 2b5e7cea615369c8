from . import test_psa_ticket_time_billing
