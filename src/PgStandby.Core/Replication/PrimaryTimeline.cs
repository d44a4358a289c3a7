namespace PgStandby.Core.Replication;

/// <summary>The primary's timeline as the primary itself reports it (IDENTIFY_SYSTEM), or why it could not be asked.</summary>
public sealed record PrimaryTimeline(int? Timeline, string? Problem);
