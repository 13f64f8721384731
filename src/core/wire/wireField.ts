/** One field of a wire message, as the .proto declares it. */
export interface WireField {
  /** The proto field name, snake_case (`reply_to_id`). */
  readonly protoName: string;
  /** The proto3 JSON name, lowerCamelCase (`replyToId`): what the gateway emits by default. */
  readonly jsonName: string;
  readonly type: string;
  readonly id: number;
}

/** The fields of the messages the extension decodes and sends, in the .proto's order (`wireSchema.ts`). */
export interface WireSchema {
  readonly subscribeResponse: readonly WireField[];
  readonly sendMessageRequest: readonly WireField[];
}
