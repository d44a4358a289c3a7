namespace PgStandby.Core.Replication;

/// <summary>
/// Raised when postgres logs that its WAL receiver streams ("started streaming WAL from primary", or
/// "restarted WAL streaming"): the lag monitor samples at once instead of at its next poll, so the state
/// says streaming within moments of it.
/// </summary>
public sealed class StreamingStarted
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = New();

    /// <summary>True for the lines postgres's WAL receiver logs once START_REPLICATION succeeded.</summary>
    public static bool IsStreamingLine(string line) =>
        line.Contains("started streaming WAL from primary", StringComparison.Ordinal)
        || line.Contains("restarted WAL streaming", StringComparison.Ordinal);

    public void Raise()
    {
        lock (_gate)
        {
            _next.TrySetResult();
        }
    }

    /// <summary>Completes at the next <see cref="Raise"/>, or at once when one came since the last <see cref="Reset"/>.</summary>
    public Task Next
    {
        get
        {
            lock (_gate)
            {
                return _next.Task;
            }
        }
    }

    /// <summary>Forgets a raise: the sample about to be taken sees what it announced.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            if (_next.Task.IsCompleted)
            {
                _next = New();
            }
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
