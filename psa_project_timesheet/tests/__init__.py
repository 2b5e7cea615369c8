from . import test_project_actuals
