namespace PgStandby.Core.Replication;

/// <summary>What the configured primary's postgres answered to a replication login.</summary>
/// <param name="Answered">A postgres server answered, even to refuse the login: it is up.</param>
/// <param name="Writable">It runs as a primary (SHOW in_hot_standby is off); null when the login failed.</param>
/// <param name="Problem">Why the login failed, or why nothing answered.</param>
public sealed record PrimaryAnswer(bool Answered, bool? Writable, string? Problem);
