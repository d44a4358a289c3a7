namespace PgStandby.Core.Diagnostics;

/// <summary>Exit codes of <c>pgstandby</c>, following sysexits.h where one fits.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>EX_SOFTWARE: an internal failure.</summary>
    public const int InternalFailure = 70;

    /// <summary>EX_TEMPFAIL: another worker already runs on this PGDATA.</summary>
    public const int AlreadyRunning = 75;

    /// <summary>EX_CONFIG: bad configuration, or a refusal that needs the operator.</summary>
    public const int NeedsOperator = 78;
}
