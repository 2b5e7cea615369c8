# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "PSA Timesheets - Time Off",
    "summary": "Timesheet reminders and weekly submission net of approved time off",
    "version": "19.0.1.0.0",
    "category": "Services/Timesheets",
    "author": "PSA Suite",
    "website": "https://github.com/psa-suite/psa",
    "license": "LGPL-3",
    "depends": ["psa_timesheet", "hr_holidays"],
    "auto_install": True,
    "development_status": "Beta",
    "maintainers": [],
    "installable": True,
}
