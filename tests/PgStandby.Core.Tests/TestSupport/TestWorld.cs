using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Health;

namespace PgStandby.Core.Tests.TestSupport;

/// <summary>The standby's folders laid out in a temp folder, with the seed's names and values elsewhere.</summary>
internal sealed class TestWorld : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    public TestWorld()
    {
        Time = new CountingTimeProvider(Start);
        Standby = new StandbyOptions
        {
            DataDirectory = _temp.Combine("data"),
            BinDirectory = _temp.Combine("bin"),
            SocketDirectory = _temp.Combine("socket"),
            PgBackRestConfig = _temp.Combine("etc", "pgbackrest.conf"),
            ProcessMax = 2,
            PgBackRestLogPath = _temp.Combine("log"),
            PgBackRestSpoolPath = _temp.Combine("spool"),
            PgBackRestLockPath = _temp.Combine("lock"),
            SshDirectory = _temp.Combine("ssh"),
            RunDirectory = _temp.Combine("run"),
            StateDirectory = _temp.Combine("state"),
        };
        Repository = new RepositoryOptions { PrimaryHost = SampleKeys.Host };
        Replication = new ReplicationOptions { Password = "s3cret-Passw0rd" };
        Supervision = new SupervisionOptions();
    }

    public TempDirectory Temp => _temp;

    public CountingTimeProvider Time { get; }

    public StandbyOptions Standby { get; }

    public RepositoryOptions Repository { get; }

    public ReplicationOptions Replication { get; }

    public SupervisionOptions Supervision { get; }

    public HealthState CreateHealth() =>
        new(Options.Create(Standby), Options.Create(Repository), Time, NullLogger<HealthState>.Instance);

    public void Dispose() => _temp.Dispose();
}
