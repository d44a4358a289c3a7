namespace PgStandby.Core.Supervision;

/// <summary>Capped exponential backoff between postgres restarts: 1 s, 2 s, 4 s … up to the cap.</summary>
public static class RestartBackoff
{
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);

    public static TimeSpan Delay(int consecutiveFailures) =>
        consecutiveFailures <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Cap.TotalSeconds, Math.Pow(2, Math.Min(consecutiveFailures - 1, 10))));
}
