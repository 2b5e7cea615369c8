import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

function openMenu(sectionXmlid, itemXmlid, viewSelector) {
    return [
        {
            content: `open the ${sectionXmlid} section`,
            trigger: `.o_menu_sections button[data-menu-xmlid="${sectionXmlid}"]`,
            run: "click",
        },
        {
            content: `open ${itemXmlid}`,
            trigger: `.dropdown-item[data-menu-xmlid="${itemXmlid}"]`,
            run: "click",
        },
        {
            content: "the screen is shown",
            trigger: viewSelector,
        },
    ];
}

registry.category("web_tour.tours").add("psa_services_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "open the Services app",
            trigger: '.o_app[data-menu-xmlid="psa_base.menu_psa_root"]',
            run: "click",
        },
        {
            content: "the Services app is open",
            trigger: '.o_main_navbar .o_menu_brand:contains("Services")',
        },
        ...openMenu(
            "psa_base.menu_psa_timesheets",
            "psa_base.menu_psa_timesheets_mine",
            ".o_list_view, .o_grid_view"
        ),
        ...openMenu(
            "psa_billing.psa_billing_menu_root",
            "psa_billing.psa_billing_menu_engagements",
            '.o_breadcrumb:contains("Engagements")'
        ),
        ...openMenu(
            "psa_helpdesk.psa_helpdesk_menu_root",
            "psa_helpdesk.psa_helpdesk_menu_tickets",
            ".o_kanban_view, .o_list_view"
        ),
        ...openMenu(
            "psa_resource.psa_resource_menu_root",
            "psa_resource.psa_resource_menu_team",
            '.o_breadcrumb:contains("Team")'
        ),
        ...openMenu(
            "psa_base.menu_psa_config",
            "psa_base.menu_psa_config_roles",
            '.o_breadcrumb:contains("Roles")'
        ),
    ],
});
