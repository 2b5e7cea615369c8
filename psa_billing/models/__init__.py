from . import account_analytic_line
from . import psa_rate_card
from . import psa_rate_card_line
from . import res_partner
from . import sale_order
