import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("psa_crm_won_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("psa_base.menu_psa_root", "Open the Services app"),
        {
            content: "Open the pipeline",
            trigger: 'a[data-menu-xmlid="psa_crm.psa_crm_menu_pipeline"]',
            run: "click",
        },
        {
            content: "Open the opportunity",
            trigger: ".o_kanban_record:contains('PSA Tour Deal')",
            run: "click",
        },
        {
            content: "Its estimate by role is there",
            trigger: "a[name=psa_estimate]",
            run: "click",
        },
        {
            trigger: "div[name=psa_estimate_line_ids] .o_data_row td:contains('Tour Role')",
        },
        {
            content: "Mark the opportunity as won",
            trigger: "button[name=action_set_won_rainbowman]",
            run: "click",
        },
        {
            content: "We land on the new project, with its resource requests",
            trigger: ".o_form_view button[name=action_psa_open_resource_requests]:contains('1')",
            run: "click",
        },
        {
            content: "The resource request of the role is listed",
            trigger: ".o_list_view .o_data_row td:contains('Tour Role')",
        },
    ],
});
