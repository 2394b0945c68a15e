/**
 * The parts of the event that AWS Lambda passes to a function with a Kinesis event source
 * mapping. Declared here to avoid a dependency on @types/aws-lambda for four interfaces.
 */
export interface KinesisStreamEvent {
  Records: KinesisStreamEventRecord[];
}

export interface KinesisStreamEventRecord {
  kinesis: {
    kinesisSchemaVersion?: string;
    partitionKey: string;
    sequenceNumber: string;
    /** The record's data, Base64-encoded. */
    data: string;
    /** When Kinesis received the record, in seconds since the epoch (with a fraction). */
    approximateArrivalTimestamp: number;
  };
  eventSource: string;
  /** `<shardId>:<sequenceNumber>`, such as `shardId-000000000006:4959...`. */
  eventID: string;
  eventName?: string;
  /** `arn:aws:kinesis:<region>:<account>:stream/<name>`. */
  eventSourceARN: string;
  awsRegion?: string;
}

/** The response that reports partial batch failures (`FunctionResponseTypes: [ReportBatchItemFailures]`). */
export interface KinesisStreamBatchResponse {
  /** Sequence numbers of the Kinesis records to retry; Lambda retries from the lowest. Empty when all succeeded. */
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/** The parts of the Lambda context object the handler reads. */
export interface KinesisHandlerContext {
  awsRequestId?: string;
  /** Milliseconds left before Lambda stops the invocation. */
  getRemainingTimeInMillis?(): number;
}
