import {registry} from "@web/core/registry";

const slaBadge = (label) =>
    `.o_form_view .o_field_widget[name=psa_sla_state] .badge:contains('${label}')`;

registry.category("web_tour.tours").add("psa_helpdesk_sla_pause_tour", {
    steps: () => [
        {
            content: "The SLA clock of the new ticket runs",
            trigger: slaBadge("Running"),
        },
        {
            content: "Wait on the customer",
            trigger:
                ".o_statusbar_status button:contains('Tour Waiting on Customer')",
            run: "click",
        },
        {
            content: "The SLA badge shows the paused clock",
            trigger: slaBadge("Paused"),
        },
        {
            content: "The customer answered: back to work",
            trigger: ".o_statusbar_status button:contains('Tour In Progress')",
            run: "click",
        },
        {
            content: "The SLA clock runs again",
            trigger: slaBadge("Running"),
        },
        {
            content: "Back to the ticket list",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The list shows the SLA badge",
            trigger:
                ".o_list_view .o_data_row td[name=psa_sla_state] .badge:contains('Running')",
        },
        {
            content: "Switch to the kanban view",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The kanban card shows the SLA badge",
            trigger:
                ".o_kanban_record .o_field_widget[name=psa_sla_state] .badge:contains('Running')",
        },
    ],
});
