from . import test_psa_helpdesk_access
from . import test_psa_sla_access
from . import test_psa_sla_clock
from . import test_psa_sla_cron
from . import test_psa_sla_mail_gateway
from . import test_psa_sla_tour
