import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const openResourceMenu = (menu, title) => [
    {
        content: "Open the Resources menu",
        trigger: '.dropdown-toggle[data-menu-xmlid="psa_resource.psa_resource_menu_root"]',
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

registry.category("web_tour.tours").add("psa_resource_staffing_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("psa_base.menu_psa_root", "Open the Services app"),
        ...openResourceMenu("psa_resource.psa_resource_menu_requests", "Resource Requests"),
        {
            content: "Open the request",
            trigger: ".o_data_row td[name='name']:contains('Tour Python developer')",
            run: "click",
        },
        {
            content: "Find the candidates",
            trigger: "button[name='action_psa_find_candidates']",
            run: "click",
        },
        {
            content: "The best fit comes first, with the reasons",
            trigger:
                ".modal .o_data_row:first-child:contains('Tour Senior'):contains('PSA Tour Python Senior')",
        },
        {
            content: "Assign the top suggestion",
            trigger: ".modal .o_data_row:first-child button[name='action_accept']",
            run: "click",
        },
        {
            content: "The request is staffed",
            trigger: "body:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current:contains('Staffed')",
        },
        ...openResourceMenu("psa_resource.psa_resource_menu_planning", "Planning"),
        {
            content: "The allocation is planned for the employee",
            trigger: ".o_group_header:contains('Tour Senior')",
            run: "click",
        },
        {
            trigger: ".o_data_row td[name='project_id']:contains('PSA Tour Staffing')",
        },
        ...openResourceMenu("psa_resource.psa_resource_menu_forecast", "Utilization Forecast"),
        {
            content: "The forecast shows the planned employee",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('Tour Senior')",
        },
        ...openResourceMenu(
            "psa_resource.psa_resource_menu_capacity_demand",
            "Capacity vs Demand"
        ),
        {
            content: "Capacity vs demand is displayed",
            trigger: ".o_pivot th:contains('Capacity')",
        },
    ],
});
