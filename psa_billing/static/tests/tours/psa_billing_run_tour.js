import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("psa_billing_run_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("psa_base.menu_psa_root", "Open the Services app"),
        {
            content: "Open the Billing menu",
            trigger: '.dropdown-toggle[data-menu-xmlid="psa_billing.psa_billing_menu_root"]',
            run: "click",
        },
        {
            content: "Open the billing runs",
            trigger: '.dropdown-item[data-menu-xmlid="psa_billing.psa_billing_menu_runs"]',
            run: "click",
        },
        {
            content: "The billing runs are listed",
            trigger: ".o_breadcrumb:contains('Billing Runs')",
        },
        {
            content: "Start a new billing run",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "The form of the new run is open",
            trigger: ".o_form_view .o_field_widget[name=cutoff_date]",
        },
        {
            content: "Bill one engagement",
            trigger: "div[name=order_ids] input",
            run: "edit PSA-TOUR",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('PSA-TOUR-001')",
            run: "click",
        },
        {
            content: "Preview what would be billed",
            trigger: "button[name=action_preview]",
            run: "click",
        },
        {
            content: "The preview shows the developer's time at the card's rate",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=name]:contains('Developer')",
        },
        {
            content: "The time without a rate is held back",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=held_reason]:contains('No rate')",
        },
        {
            content: "Create the draft invoices",
            trigger: "button[name=action_create_invoices]",
            run: "click",
        },
        {
            content: "The run is invoiced",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Invoiced')",
        },
        {
            content: "Post the invoices",
            trigger: "button[name=action_post]",
            run: "click",
        },
        {
            content: "The run is posted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Posted')",
        },
        {
            content: "Open its invoice",
            trigger: "button[name=action_view_invoices]",
            run: "click",
        },
        {
            content: "The invoice is posted",
            trigger: ".o_data_row td[name=state]:contains('Posted'), .o_data_row span:contains('Posted')",
        },
    ],
});
