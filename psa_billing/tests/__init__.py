from . import test_psa_billing_access
from . import test_psa_rate_card_access
from . import test_psa_rate_card_constraints
from . import test_psa_rate_currency
from . import test_psa_rate_performance
from . import test_psa_rate_resolution
from . import test_psa_billing_run
