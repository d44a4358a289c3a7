using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PgStandby.Core.Diagnostics;

/// <summary>The worker's one ActivitySource and one Meter, both named PgStandby.</summary>
public static class Telemetry
{
    public const string Name = "PgStandby";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);
}
