import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const openTimesheetMenu = (menu, title) => [
    ...stepUtils.goToAppSteps("psa_base.menu_psa_root", "Open the Services app"),
    {
        content: "Open the Timesheets menu",
        trigger: '.dropdown-toggle[data-menu-xmlid="psa_base.menu_psa_timesheets"]',
        run: "click",
    },
    {
        content: `Open ${title}`,
        trigger: `.dropdown-item[data-menu-xmlid="${menu}"]`,
        run: "click",
    },
    {
        content: `${title} is displayed`,
        trigger: `.o_breadcrumb:contains('${title}')`,
    },
];

registry.category("web_tour.tours").add("psa_timesheet_submit_tour", {
    url: "/odoo",
    steps: () => [
        ...openTimesheetMenu("psa_base.menu_psa_timesheets_mine", "My Timesheets"),
        {
            content: "Log new time",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the project",
            trigger: ".o_selected_row div[name=project_id] input",
            run: "edit PSA Tour Project",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('PSA Tour Project')",
            run: "click",
        },
        {
            content: "Describe the work",
            trigger: ".o_selected_row div[name=name] input",
            run: "edit Tour analysis",
        },
        {
            content: "Log four hours",
            trigger: ".o_selected_row div[name=unit_amount] input",
            run: "edit 04:00",
        },
        {
            content: "Save the line",
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            content: "The line is saved as a draft",
            trigger: ".o_data_row:not(.o_selected_row) td[name=psa_state]:contains('Draft')",
        },
        {
            content: "Submit the week",
            trigger: "button[name=action_psa_open_submit_week_wizard]",
            run: "click",
        },
        {
            content: "The wizard lists the line of the week",
            trigger: ".modal .o_field_widget[name=line_ids] td:contains('Tour analysis')",
        },
        {
            trigger: ".modal button[name=action_submit]",
            run: "click",
        },
        {
            content: "The wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

registry.category("web_tour.tours").add("psa_timesheet_approve_tour", {
    url: "/odoo",
    steps: () => [
        ...openTimesheetMenu(
            "psa_timesheet.psa_timesheet_menu_to_approve",
            "Timesheets to Approve"
        ),
        {
            content: "Open the group of the employee",
            trigger: ".o_group_header:contains('PSA Tour Consultant')",
            run: "click",
        },
        {
            content: "Open the week",
            trigger: ".o_group_header:contains('W')",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Tour analysis')",
        },
        {
            content: "Select the whole group",
            trigger: "thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Approve",
            trigger: "button[name=action_psa_approve]",
            run: "click",
        },
        {
            content: "Nothing is left to approve",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour analysis')))",
        },
    ],
});
