using Microsoft.Extensions.Configuration;
using PgStandby.Core.Configuration;
using PgStandby.Core.Health;

namespace PgStandby.Worker.Cli;

/// <summary>
/// <c>pgstandby health [--ready]</c>: the Docker HEALTHCHECK (or, with --ready, a readiness probe). Prints one
/// line; exits 0 healthy (ready), 1 otherwise, never 2.
/// </summary>
internal static class HealthCommand
{
    public static int Run(IConfiguration configuration, bool ready)
    {
        try
        {
            var runDirectory = CliOptions.Standby(configuration).RunDirectory;
            var (exitCode, line) = HealthReport.Evaluate(StatusFile.Read(runDirectory), HealthReport.IsWorkerAlive, DateTimeOffset.UtcNow, ready);
            Console.WriteLine(line);
            return exitCode;
        }
#pragma warning disable CA1031 // a health check must answer 0 or 1 whatever happens; 2 is reserved by Docker
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Console.WriteLine($"unhealthy: cannot read the status: {exception.Message}");
            return 1;
        }
    }
}
