namespace CloudConnectSimulator.Tasks;

/// <summary>One entry of a DR error body.</summary>
internal sealed record ApiError(int ErrorCode, string ErrorMessage, string ErrorType);

/// <summary>DR's error body shape: <c>{"apiErrors":[...]}</c>. Only 20286 is Cisco's code; the others are the simulator's own.</summary>
internal sealed record ApiErrorBody(IReadOnlyList<ApiError> ApiErrors)
{
    /// <summary>Cisco's code when a media type's queue is full.</summary>
    public const int QueueLimitExceededCode = 20286;

    public static ApiErrorBody QueueLimitExceeded() =>
        new([new ApiError(QueueLimitExceededCode, "MEDIA_TYPE_QUEUE_LIMIT_EXCEEDED", "BUSINESS_VALIDATION")]);

    public static ApiErrorBody InvalidRequest(string message) =>
        new([new ApiError(20001, message, "INVALID_REQUEST")]);

    public static ApiErrorBody NotFound() =>
        new([new ApiError(20404, "TASK_NOT_FOUND", "NOT_FOUND")]);
}
