"""Demo data of psa_helpdesk: Tickets with SLA clocks met, breached, paused and at risk."""


def generate_helpdesk_demo(env):
    """Called by the post-init hook once the firm, its time and budgets exist."""
