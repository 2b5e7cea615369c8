import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const row = ".o_field_widget[name=psa_billing_plan_line_ids] .o_selected_row";

registry.category("web_tour.tours").add("psa_retainer_tour", {
    steps: () => [
        {
            content: "Open the services billing of the engagement",
            trigger: ".o_notebook_headers a[name=psa_services_billing]",
            run: "click",
        },
        {
            content: "Add a component to the billing plan",
            trigger:
                ".o_field_widget[name=psa_billing_plan_line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "A retainer",
            trigger: `${row} .o_field_widget[name=type] .o_select_menu_toggler`,
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains('Retainer')",
            run: "click",
        },
        {
            content: "Its product",
            trigger: `${row} .o_field_widget[name=product_id] input`,
            run: "edit Tour Support",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Support Retainer')",
            run: "click",
        },
        {
            content: "Its price per month",
            trigger: `${row} .o_field_widget[name=amount] input`,
            run: "edit 2000",
        },
        {
            content: "20 hours a month",
            trigger: `${row} .o_field_widget[name=retainer_hours] input`,
            run: "edit 20",
        },
        {
            content: "Overage at 150.00 an hour",
            trigger: `${row} .o_field_widget[name=overage_rate] input`,
            run: "edit 150",
        },
        {
            content: "Alerts at 80 % and 100 % by default",
            trigger: `${row} .o_field_widget[name=alert_thresholds] input:value(80,100)`,
        },
        ...stepUtils.saveForm(),
        {
            content: "The engagement shows its retainer balance",
            trigger: "button[name=action_psa_view_retainer_periods]:contains('Retainer Balance')",
        },
    ],
});

registry.category("web_tour.tours").add("psa_retainer_balance_tour", {
    steps: () => [
        {
            content: "The account manager has an activity: 80 % of the retainer used",
            trigger: ".o-mail-Activity:contains('Retainer at 80%')",
        },
        {
            content: "3 hours are left this month",
            trigger: "button[name=action_psa_view_retainer_periods]:contains('3.00')",
            run: "click",
        },
        {
            content: "The period shows the alert sent",
            trigger: ".o_data_row td[name=alerted_thresholds]:contains('80')",
        },
        {
            content: "and its balance",
            trigger: ".o_data_row td[name=remaining]:contains('3.00')",
            run: "click",
        },
        {
            content: "The period's form: 17 hours used",
            trigger: ".o_form_view .o_field_widget[name=consumed]:contains('17.00')",
        },
    ],
});
