using PgStandby.Core.Health;

namespace PgStandby.Core.Tests.Health;

public sealed class HealthReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_NoSnapshot_Unhealthy()
    {
        // Act
        var (exitCode, line) = HealthReport.Evaluate(null, _ => true, Now);

        // Assert
        Assert.Equal(1, exitCode);
        Assert.StartsWith("unhealthy: no status file", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WorkerDead_UnhealthyEvenIfLastStateWasHealthy()
    {
        // Arrange
        var snapshot = Snapshot("streaming", healthy: true) with { Pid = 4242 };

        // Act
        var (exitCode, line) = HealthReport.Evaluate(snapshot, _ => false, Now);

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Contains("pid 4242", line, StringComparison.Ordinal);
        Assert.Contains("streaming", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_HealthyAndAlive_ExitZeroWithLag()
    {
        // Arrange
        var snapshot = Snapshot("streaming", healthy: true) with { LagBytes = 2048, LagSeconds = 0.25 };

        // Act
        var (exitCode, line) = HealthReport.Evaluate(snapshot, _ => true, Now);

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Equal("healthy: streaming: the reason (lag 2048 bytes, 0.3 s)", line);
    }

    [Fact]
    public void Evaluate_UnhealthyAndAlive_ExitOneWithNextStep()
    {
        // Arrange
        var snapshot = Snapshot("failing", healthy: false);

        // Act
        var (exitCode, line) = HealthReport.Evaluate(snapshot, _ => true, Now);

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Equal("unhealthy: failing: the reason. Next step: the next step", line);
    }

    [Fact]
    public void Evaluate_AnyInput_NeverExitTwo()
    {
        // Arrange
        StatusSnapshot?[] snapshots = [null, Snapshot("streaming", true), Snapshot("failing", false), Snapshot("unknown_state", true)];

        // Act
        var codes = snapshots.SelectMany(s => new[] { HealthReport.Evaluate(s, _ => true, Now).ExitCode, HealthReport.Evaluate(s, _ => false, Now).ExitCode });

        // Assert
        Assert.All(codes, code => Assert.InRange(code, 0, 1));
    }

    [Fact]
    public void Evaluate_HealthyButPastStaleAfter_UnhealthyStale()
    {
        // Arrange
        var snapshot = Snapshot("streaming", healthy: true) with { StaleAfter = Now.AddSeconds(25) };

        // Act
        var (exitCode, line) = HealthReport.Evaluate(snapshot, _ => true, Now.AddSeconds(26));

        // Assert
        Assert.Equal(1, exitCode);
        Assert.StartsWith("unhealthy: stale status", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_HealthyBeforeStaleAfter_Healthy()
    {
        // Arrange
        var snapshot = Snapshot("streaming", healthy: true) with { StaleAfter = Now.AddSeconds(25) };

        // Act
        var (exitCode, _) = HealthReport.Evaluate(snapshot, _ => true, Now.AddSeconds(25));

        // Assert
        Assert.Equal(0, exitCode);
    }

    [Theory]
    [InlineData("streaming", true, true, 0)]
    [InlineData("catching_up_from_archive", true, false, 1)]
    [InlineData("restoring", true, false, 1)]
    [InlineData("lagging", false, false, 1)]
    public void Evaluate_Ready_ReadsTheWorkersReadyVerdict(string state, bool healthy, bool ready, int expected)
    {
        // Arrange
        var snapshot = Snapshot(state, healthy) with { Ready = ready };

        // Act
        var (exitCode, line) = HealthReport.Evaluate(snapshot, _ => true, Now, ready: true);

        // Assert
        Assert.Equal(expected, exitCode);
        Assert.StartsWith(expected == 0 ? "ready: " : "not ready: ", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void IsWorkerAlive_NoSuchProcess_False(int pid)
    {
        // Act
        var alive = HealthReport.IsWorkerAlive(pid);

        // Assert
        Assert.False(alive);
    }

    private static StatusSnapshot Snapshot(string state, bool healthy) => new()
    {
        State = state,
        Since = Now,
        Reason = "the reason",
        NextStep = "the next step",
        Healthy = healthy,
        Pid = 1234,
        UpdatedAt = Now,
    };
}
