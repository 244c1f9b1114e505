/**
 * @module The workflow action "Send order status notification" as HubSpot takes it: an Automation
 * Actions v4 definition (`PublicActionDefinitionEgg`, registered through the API for legacy apps)
 * and the same action as a developer-projects `*-hsmeta.json` file (apps on the current platform).
 * Labels in en, es, fr and de.
 */
import { CANONICAL_STATUSES, type CanonicalStatus, labelsFor } from '@tidings/core';
import { ACTION_OUTCOMES, type ActionOutcome, OUTPUT_FIELDS } from './action-outcome.ts';
import {
  AUTO_TEMPLATE,
  CHANNEL_OVERRIDES,
  type ChannelOverride,
  INPUT_FIELDS,
} from './execution-request.ts';

/** Deals, the commerce Order object, tickets and contacts. */
export const ACTION_OBJECT_TYPES = ['DEAL', 'ORDER', 'TICKET', 'CONTACT'] as const;
export const ACTION_LOCALES = ['en', 'es', 'fr', 'de'] as const;
export type ActionLocale = (typeof ACTION_LOCALES)[number];
export const ACTION_NAME_EN = 'Send order status notification';

type ValueType = 'STATIC_VALUE' | 'OBJECT_PROPERTY';
const BOTH: ValueType[] = ['STATIC_VALUE', 'OBJECT_PROPERTY'];

export interface ActionOption {
  label: string;
  value: string;
  description?: string;
  displayOrder?: number;
}

export interface ActionInputField {
  isRequired: boolean;
  supportedValueTypes: ValueType[];
  typeDefinition: {
    name: string;
    type: 'string' | 'enumeration' | 'phone_number';
    fieldType: 'text' | 'select' | 'phonenumber';
    options: ActionOption[];
    optionsUrl?: string;
  };
}

export interface ActionOutputField {
  typeDefinition: {
    name: string;
    type: 'string' | 'enumeration';
    fieldType: 'text' | 'select';
    externalOptions: boolean;
    options: Array<
      Required<ActionOption> & { hidden: boolean; readOnly: boolean; doubleData: number }
    >;
  };
}

export interface ActionLabels {
  actionName: string;
  actionDescription: string;
  appDisplayName: string;
  actionCardContent: string;
  inputFieldLabels: Record<string, string>;
  inputFieldDescriptions: Record<string, string>;
  inputFieldOptionLabels: Record<string, Record<string, string>>;
  outputFieldLabels: Record<string, string>;
}

/** The v4 definition (`POST /automation/v4/actions/{appId}`). */
export interface ActionDefinition {
  actionUrl: string;
  published: boolean;
  objectTypes: string[];
  inputFields: ActionInputField[];
  outputFields: ActionOutputField[];
  labels: Record<ActionLocale, ActionLabels>;
  functions: [];
}

/** Status words are core's (`labelsFor`), so the picker and the messages say the same thing. */
const statusLabels = (locale: ActionLocale): Record<CanonicalStatus, string> => ({
  ...labelsFor(locale).statuses,
});

const CHANNEL_LABELS: Record<ActionLocale, Record<ChannelOverride, string>> = {
  en: { auto: 'Automatic (rules decide)', email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp' },
  es: {
    auto: 'Automático (según las reglas)',
    email: 'Correo electrónico',
    sms: 'SMS',
    whatsapp: 'WhatsApp',
  },
  fr: { auto: 'Automatique (selon les règles)', email: 'E-mail', sms: 'SMS', whatsapp: 'WhatsApp' },
  de: { auto: 'Automatisch (nach Regeln)', email: 'E-Mail', sms: 'SMS', whatsapp: 'WhatsApp' },
};

const OUTCOME_LABELS: Record<ActionLocale, Record<ActionOutcome, string>> = {
  en: { sent: 'Sent', deferred: 'Deferred', suppressed: 'Not sent (suppressed)', failed: 'Failed' },
  es: {
    sent: 'Enviado',
    deferred: 'Aplazado',
    suppressed: 'No enviado (suprimido)',
    failed: 'Fallido',
  },
  fr: { sent: 'Envoyé', deferred: 'Différé', suppressed: 'Non envoyé (supprimé)', failed: 'Échec' },
  de: {
    sent: 'Gesendet',
    deferred: 'Zurückgestellt',
    suppressed: 'Nicht gesendet (unterdrückt)',
    failed: 'Fehlgeschlagen',
  },
};

const TEXT: Record<ActionLocale, Omit<ActionLabels, 'inputFieldOptionLabels'>> = {
  en: {
    actionName: ACTION_NAME_EN,
    actionDescription:
      'Tell the customer where their order stands, by email, SMS or WhatsApp, with Tidings’ rules, quiet hours and consent checks.',
    appDisplayName: 'Tidings',
    actionCardContent: 'Notify the customer: {{status}}',
    inputFieldLabels: {
      status: 'Order status',
      template: 'Message template',
      channel: 'Channel',
      recipient_email: 'Recipient email',
      recipient_phone: 'Recipient phone',
      order_reference: 'Order reference',
    },
    inputFieldDescriptions: {
      status: 'A Tidings status, or a deal or order stage property (mapped per portal).',
      template: 'Which template to use; Automatic lets the rules decide.',
      channel: 'Force one channel, or let the rules choose.',
      recipient_email: 'Where email goes, e.g. the contact’s email property.',
      recipient_phone: 'Mobile number in international format, e.g. +14155550100.',
      order_reference: 'The order number the customer knows; defaults to the record id.',
    },
    outputFieldLabels: {
      tidings_outcome: 'Notification outcome',
      tidings_reason: 'Notification reason',
      tidings_message_id: 'Tidings message id',
    },
  },
  es: {
    actionName: 'Enviar notificación de estado del pedido',
    actionDescription:
      'Informa al cliente del estado de su pedido por correo, SMS o WhatsApp, con las reglas, horas de silencio y consentimientos de Tidings.',
    appDisplayName: 'Tidings',
    actionCardContent: 'Notificar al cliente: {{status}}',
    inputFieldLabels: {
      status: 'Estado del pedido',
      template: 'Plantilla del mensaje',
      channel: 'Canal',
      recipient_email: 'Correo del destinatario',
      recipient_phone: 'Teléfono del destinatario',
      order_reference: 'Referencia del pedido',
    },
    inputFieldDescriptions: {
      status: 'Un estado de Tidings o una propiedad de etapa del negocio o pedido.',
      template: 'Plantilla a usar; Automático deja decidir a las reglas.',
      channel: 'Forzar un canal o dejar que elijan las reglas.',
      recipient_email: 'Dirección de correo, p. ej. la propiedad email del contacto.',
      recipient_phone: 'Móvil en formato internacional, p. ej. +34600000000.',
      order_reference: 'El número de pedido que conoce el cliente.',
    },
    outputFieldLabels: {
      tidings_outcome: 'Resultado de la notificación',
      tidings_reason: 'Motivo de la notificación',
      tidings_message_id: 'Id del mensaje en Tidings',
    },
  },
  fr: {
    actionName: 'Envoyer une notification de statut de commande',
    actionDescription:
      'Informe le client de l’avancement de sa commande par e-mail, SMS ou WhatsApp, selon les règles, heures calmes et consentements de Tidings.',
    appDisplayName: 'Tidings',
    actionCardContent: 'Notifier le client : {{status}}',
    inputFieldLabels: {
      status: 'Statut de la commande',
      template: 'Modèle de message',
      channel: 'Canal',
      recipient_email: 'E-mail du destinataire',
      recipient_phone: 'Téléphone du destinataire',
      order_reference: 'Référence de commande',
    },
    inputFieldDescriptions: {
      status: 'Un statut Tidings, ou une propriété d’étape de transaction ou de commande.',
      template: 'Modèle à utiliser ; Automatique laisse décider les règles.',
      channel: 'Imposer un canal ou laisser les règles choisir.',
      recipient_email: 'Adresse e-mail, par ex. la propriété email du contact.',
      recipient_phone: 'Mobile au format international, par ex. +33600000000.',
      order_reference: 'Le numéro de commande connu du client.',
    },
    outputFieldLabels: {
      tidings_outcome: 'Résultat de la notification',
      tidings_reason: 'Motif de la notification',
      tidings_message_id: 'Identifiant du message Tidings',
    },
  },
  de: {
    actionName: 'Bestellstatus-Benachrichtigung senden',
    actionDescription:
      'Informiert den Kunden per E-Mail, SMS oder WhatsApp über seine Bestellung – mit den Regeln, Ruhezeiten und Einwilligungen von Tidings.',
    appDisplayName: 'Tidings',
    actionCardContent: 'Kunden benachrichtigen: {{status}}',
    inputFieldLabels: {
      status: 'Bestellstatus',
      template: 'Nachrichtenvorlage',
      channel: 'Kanal',
      recipient_email: 'E-Mail des Empfängers',
      recipient_phone: 'Telefon des Empfängers',
      order_reference: 'Bestellreferenz',
    },
    inputFieldDescriptions: {
      status: 'Ein Tidings-Status oder eine Deal- bzw. Bestellphasen-Eigenschaft.',
      template: 'Zu verwendende Vorlage; Automatisch überlässt es den Regeln.',
      channel: 'Einen Kanal erzwingen oder die Regeln wählen lassen.',
      recipient_email: 'E-Mail-Adresse, z. B. die E-Mail-Eigenschaft des Kontakts.',
      recipient_phone: 'Mobilnummer im internationalen Format, z. B. +4915100000000.',
      order_reference: 'Die Bestellnummer, die der Kunde kennt.',
    },
    outputFieldLabels: {
      tidings_outcome: 'Ergebnis der Benachrichtigung',
      tidings_reason: 'Grund',
      tidings_message_id: 'Tidings-Nachrichten-ID',
    },
  },
};

const actionLabels = (locale: ActionLocale): ActionLabels => ({
  ...TEXT[locale],
  inputFieldOptionLabels: {
    [INPUT_FIELDS.status]: statusLabels(locale),
    [INPUT_FIELDS.channel]: { ...CHANNEL_LABELS[locale] },
  },
});

const options = (labels: Record<string, string>, values: readonly string[]): ActionOption[] =>
  values.map((value, i) => ({ label: labels[value] ?? value, value, displayOrder: i }));

/** The v4 definition for an action URL on this hub (`<public url>/hubspot/actions/notify`). */
export const buildActionDefinition = (input: {
  publicUrl: string;
  published?: boolean;
}): ActionDefinition => {
  const base = input.publicUrl.replace(/\/+$/, '');
  return {
    actionUrl: `${base}/hubspot/actions/notify`,
    published: input.published ?? false,
    objectTypes: [...ACTION_OBJECT_TYPES],
    functions: [],
    inputFields: [
      {
        isRequired: true,
        supportedValueTypes: BOTH,
        typeDefinition: {
          name: INPUT_FIELDS.status,
          type: 'enumeration',
          fieldType: 'select',
          options: options(statusLabels('en'), CANONICAL_STATUSES),
        },
      },
      {
        isRequired: false,
        supportedValueTypes: ['STATIC_VALUE'],
        typeDefinition: {
          name: INPUT_FIELDS.template,
          type: 'enumeration',
          fieldType: 'select',
          options: [],
          optionsUrl: `${base}/hubspot/options/templates`,
        },
      },
      {
        isRequired: false,
        supportedValueTypes: BOTH,
        typeDefinition: {
          name: INPUT_FIELDS.channel,
          type: 'enumeration',
          fieldType: 'select',
          options: options(CHANNEL_LABELS.en, CHANNEL_OVERRIDES),
        },
      },
      {
        isRequired: false,
        supportedValueTypes: BOTH,
        typeDefinition: {
          name: INPUT_FIELDS.email,
          type: 'string',
          fieldType: 'text',
          options: [],
        },
      },
      {
        isRequired: false,
        supportedValueTypes: BOTH,
        typeDefinition: {
          name: INPUT_FIELDS.phone,
          type: 'phone_number',
          fieldType: 'phonenumber',
          options: [],
        },
      },
      {
        isRequired: false,
        supportedValueTypes: BOTH,
        typeDefinition: {
          name: INPUT_FIELDS.orderReference,
          type: 'string',
          fieldType: 'text',
          options: [],
        },
      },
    ],
    outputFields: [
      {
        typeDefinition: {
          name: OUTPUT_FIELDS.outcome,
          type: 'enumeration',
          fieldType: 'select',
          externalOptions: false,
          options: ACTION_OUTCOMES.map((value, i) => ({
            label: OUTCOME_LABELS.en[value],
            value,
            description: OUTCOME_LABELS.en[value],
            displayOrder: i,
            hidden: false,
            readOnly: false,
            doubleData: 0,
          })),
        },
      },
      {
        typeDefinition: {
          name: OUTPUT_FIELDS.reason,
          type: 'string',
          fieldType: 'text',
          externalOptions: false,
          options: [],
        },
      },
      {
        typeDefinition: {
          name: OUTPUT_FIELDS.messageId,
          type: 'string',
          fieldType: 'text',
          externalOptions: false,
          options: [],
        },
      },
    ],
    labels: {
      en: actionLabels('en'),
      es: actionLabels('es'),
      fr: actionLabels('fr'),
      de: actionLabels('de'),
    },
  };
};

/** The template input's default: the rule's own template. */
export const DEFAULT_TEMPLATE = AUTO_TEMPLATE;

/**
 * The same action as a developer-projects file, `src/app/workflow-actions/<name>-hsmeta.json`
 * (`type: workflow-action`; `isPublished` and `supportedClients` replace v4's `published`).
 */
export const toProjectWorkflowAction = (
  definition: ActionDefinition,
  uid = 'tidings_order_status_notification',
) => {
  const { published, functions: _functions, ...rest } = definition;
  return {
    uid,
    type: 'workflow-action',
    config: { ...rest, isPublished: published, supportedClients: [{ client: 'WORKFLOWS' }] },
  };
};
