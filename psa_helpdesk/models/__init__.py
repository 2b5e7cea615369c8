from . import helpdesk_ticket_stage
from . import psa_sla_policy
from . import psa_sla_status
from . import psa_sla_pause
from . import helpdesk_ticket
