from . import test_budget
from . import test_evm
from . import test_health
from . import test_template
from . import test_access
from . import test_performance
from . import test_update_cron
from . import test_ui
