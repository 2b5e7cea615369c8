from . import account_analytic_line
from . import helpdesk_ticket
from . import psa_billing_run
from . import psa_billing_run_line
from . import psa_sla_policy
from . import psa_sla_status
