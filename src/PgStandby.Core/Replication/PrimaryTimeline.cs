using PgStandby.Core.Timelines;

namespace PgStandby.Core.Replication;

/// <summary>The primary's timeline and its history as the primary itself reports them, or why it could not be asked.</summary>
public sealed record PrimaryTimeline(int? Timeline, IReadOnlyList<TimelineSwitch> History, string? Problem);
