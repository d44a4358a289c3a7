using PgStandby.Core.Concurrency;

namespace PgStandby.Core.Replication;

/// <summary>
/// Raised when postgres logs that its WAL receiver streams ("started streaming WAL from primary", or
/// "restarted WAL streaming"): the lag monitor samples soon after instead of at its next poll, so the
/// state says streaming within moments of it.
/// </summary>
public sealed class StreamingStarted
{
    private readonly Latch<DateTimeOffset> _raised = new();

    /// <summary>True for the lines postgres's WAL receiver logs once START_REPLICATION succeeded.</summary>
    public static bool IsStreamingLine(string line) =>
        line.Contains("started streaming WAL from primary", StringComparison.Ordinal)
        || line.Contains("restarted WAL streaming", StringComparison.Ordinal);

    /// <param name="at">When postgres logged the line.</param>
    public void Raise(DateTimeOffset at) => _raised.Set(at);

    /// <summary>
    /// Completes with the time of the next <see cref="Raise"/>, or at once when one came since the last
    /// <see cref="Reset"/>.
    /// </summary>
    public Task<DateTimeOffset> Next => _raised.Task;

    /// <summary>Forgets a raise: the sample about to be taken sees what it announced.</summary>
    public void Reset() => _raised.Reset();
}
