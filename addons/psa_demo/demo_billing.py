"""Demo data of psa_billing: Rate cards per client currency, a posted monthly billing run and one in preview."""


def generate_billing_demo(env):
    """Called by the post-init hook once the firm, its time and budgets exist."""
