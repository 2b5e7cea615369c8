import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("psa_project_tour", {
    url: "/odoo/psa-projects",
    steps: () => [
        {
            content: "Create a project",
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            content: "From the PSA template",
            trigger: '.dropdown-menu button.dropdown-item:contains("PSA Tour Template")',
            run: "click",
        },
        {
            trigger: '.modal div[name="name"] .o_input',
            run: "edit Tour Project",
        },
        {
            trigger: 'button[name="create_project_from_template"]',
            run: "click",
        },
        {
            content: "The new project's tasks are shown",
            trigger: ".o_breadcrumb:contains('Tour Project')",
        },
        {
            content: "Back to the projects",
            trigger: ".breadcrumb-item a:contains('Projects')",
            run: "click",
        },
        {
            trigger: "button.o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the new project",
            trigger: ".o_data_row td[name='name']:contains('Tour Project')",
            run: "click",
        },
        {
            content: "Open the Health tab",
            trigger: "a.nav-link:contains(Health)",
            run: "click",
        },
        {
            content: "The budget came from the template",
            trigger: "div[name='psa_budget_line_ids'] .o_data_row td:contains('Tour Consultant')",
        },
        {
            content: "No time yet",
            trigger: "div[name='psa_actual_hours'] span:contains('00:00')",
        },
        {
            content: "Log time from the project's tasks",
            trigger: "button[name='action_view_tasks']",
            run: "click",
        },
        {
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Unfold the tasks without stage",
            trigger: ".o_group_header:contains('None')",
            run: "click",
        },
        {
            content: "Open the task copied from the template",
            trigger: ".o_data_row td[name='name']:contains('Kick-off')",
            run: "click",
        },
        {
            trigger: "a.nav-link:contains(Timesheets)",
            run: "click",
        },
        {
            trigger:
                'div[name="timesheet_ids"] td.o_field_x2many_list_row_add a[role="button"]',
            run: "click",
        },
        {
            trigger: '.o_field_x2many div[name="name"] input',
            run: "edit Workshop",
        },
        {
            trigger: 'div[name="unit_amount"] input',
            run: "edit 8",
        },
        {
            content: "Save the task",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the project form",
            trigger: ".breadcrumb-item:nth-last-child(2) a:contains('Tour Project')",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name='psa_budget_line_ids']",
        },
        {
            trigger: "a.nav-link:contains(Health)",
            run: "click",
        },
        {
            content: "The Health tab shows the logged time",
            trigger: "div[name='psa_actual_hours'] span:contains('08:00')",
        },
        {
            content: "Refresh the health",
            trigger: "button[name='action_psa_refresh_health']",
            run: "click",
        },
        {
            content: "The project has a health status",
            trigger: "div[name='psa_health'] .badge",
        },
    ],
});
