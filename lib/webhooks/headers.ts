/** Request headers of a webhook delivery (pure constants: the settings page shows them). */
export const SIGNATURE_HEADER = "X-BKC-Signature";
export const TIMESTAMP_HEADER = "X-BKC-Timestamp";
export const EVENT_HEADER = "X-BKC-Event";
export const DELIVERY_HEADER = "X-BKC-Delivery";
