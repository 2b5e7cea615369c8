from . import psa_opportunity_estimate
from . import crm_lead
from . import res_company
from . import res_config_settings
from . import res_partner
from . import project_project
from . import sale_order
