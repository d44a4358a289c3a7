namespace PgStandby.Core.Restore;

/// <summary>How far a restore has got: what the progress log line, the status file and the metrics show.</summary>
public sealed record RestoreProgress(double Percent, long BytesDone, long? BytesTotal, double BytesPerSecond, TimeSpan? Eta, TimeSpan Elapsed, int Files);
