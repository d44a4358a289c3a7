using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using PgStandby.Core.Processes;
using PgStandby.Core.Promotion;
using PgStandby.Core.Replication;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tests.Restore;
using PgStandby.Core.Tests.TestSupport;
using PgStandby.Core.Postgres;
using PgStandby.Core.Repository;

namespace PgStandby.Core.Tests.Promotion;

public sealed class PromoterTests : IDisposable
{
    private const ulong SystemId = 7712786763852387577;
    private static readonly string[] InfoArguments = ["--stanza=psql", "--output=json", "info"];
    private static readonly NodeFacts Replaying = new(InRecovery: true, SystemId, null, "0/5000060", ReadOnly: true);
    private static readonly NodeFacts Promoted = new(InRecovery: false, SystemId, 2, "0/5000060", ReadOnly: false);
    private static readonly PrimaryAnswer OldPrimaryGone = new(Answered: false, Writable: null, Problem: "connection refused");

    /// <summary>Short enough that a test waits through no more than a few polls of catch-up.</summary>
    private static readonly PromoteOptions Quick = PromoteOptions.Default with { MaxWait = TimeSpan.FromSeconds(3) };

    private readonly TestWorld _world = new();
    private readonly CountingTimeProvider _time = new(TestWorld.Start);
    private readonly Mock<ILocalNode> _node = new(MockBehavior.Strict);
    private readonly Mock<IStandbyQueries> _queries = new(MockBehavior.Strict);
    private readonly Mock<IRemoteShell> _shell = new(MockBehavior.Strict);
    private readonly FolderPreparer _folders = new(NullLogger<FolderPreparer>.Instance);
    private readonly List<string> _said = [];
    private readonly Promoter _promoter;
    private NodeFacts? _facts = Replaying;

    public PromoterTests()
    {
        Directory.CreateDirectory(_world.Standby.DataDirectory);
        Directory.CreateDirectory(_world.Standby.StateDirectory);
        Directory.CreateDirectory(_world.Standby.RunDirectory);
        var waiter = new RepositoryWaiter(
            _shell.Object,
            _world.CreateHealth(),
            Options.Create(_world.Repository),
            Options.Create(_world.Standby),
            Options.Create(_world.Supervision),
            _time,
            NullLogger<RepositoryWaiter>.Instance);
        _promoter = new Promoter(
            _node.Object,
            _queries.Object,
            _shell.Object,
            waiter,
            _folders,
            Options.Create(_world.Standby),
            Options.Create(_world.Repository),
            Options.Create(_world.Replication),
            _time);
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => _facts);
        _queries.Setup(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>())).ReturnsAsync(OldPrimaryGone);
        AnswerInfo(new RemoteResult(0, PgBackRestInfoSamples.Ok, string.Empty));
    }

    private string RequestFile => Path.Combine(_world.Standby.StateDirectory, PromotionRequest.FileName);

    private string PromoteSignal => Path.Combine(_world.Standby.DataDirectory, "promote");

    private string Said => string.Join('\n', _said);

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task PromoteAsync_OldPrimaryAnswers_RefusedWithNothingChanged()
    {
        // Arrange
        _queries.Setup(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new PrimaryAnswer(Answered: true, Writable: true, Problem: null));

        // Act
        var code = await PromoteAsync(Quick);

        // Assert
        Assert.Equal(1, code);
        Assert.Contains("REFUSED: the primary postgres_master:5432 still answers replication connections (it runs as a primary)", Said, StringComparison.Ordinal);
        Assert.Contains("pgstandby promote --force", Said, StringComparison.Ordinal);
        _node.Verify(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
        _shell.Verify(s => s.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.False(File.Exists(RequestFile));
        Assert.Equal(TestWorld.Start, _time.GetUtcNow());
    }

    [Fact]
    public async Task PromoteAsync_OldPrimaryRefusesTheLogin_StillRefused()
    {
        // Arrange: a postgres that refuses the password is up all the same
        _queries.Setup(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PrimaryAnswer(Answered: true, Writable: null, Problem: "password authentication failed for user \"replicator\""));

        // Act
        var code = await PromoteAsync(Quick);

        // Assert
        Assert.Equal(1, code);
        Assert.Contains("(password authentication failed for user \"replicator\")", Said, StringComparison.Ordinal);
        _node.Verify(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PromoteAsync_PostgresDoesNotAnswer_ExitOneWithoutAskingTheOldPrimary()
    {
        // Arrange
        _facts = null;

        // Act
        var code = await PromoteAsync(Quick);

        // Assert
        Assert.Equal(1, code);
        Assert.Contains("postgres does not accept connections on this node yet", Said, StringComparison.Ordinal);
        _queries.Verify(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>()), Times.Never);
        _node.Verify(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PromoteAsync_AlreadyAPrimary_ExitZeroWithoutPromoting()
    {
        // Arrange
        _facts = Promoted;

        // Act
        var code = await PromoteAsync(Quick);

        // Assert
        Assert.Equal(0, code);
        Assert.Contains("already a primary", Said, StringComparison.Ordinal);
        _queries.Verify(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>()), Times.Never);
        _node.Verify(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.False(File.Exists(RequestFile));
    }

    [Fact]
    public async Task PromoteAsync_Force_PromotesWithoutAskingTheOldPrimary()
    {
        // Arrange
        PromotesOnRequest();

        // Act
        var code = await PromoteAsync(Quick with { Force = true });

        // Assert
        Assert.Equal(0, code);
        Assert.Contains("--force: not checking whether the old primary still answers.", Said, StringComparison.Ordinal);
        _queries.Verify(q => q.AskPrimaryAsync(It.IsAny<CancellationToken>()), Times.Never);
        _node.Verify(n => n.PromoteAsync(60, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PromoteAsync_OldPrimaryGone_WritesTheRequestBeforePromoting()
    {
        // Arrange
        bool? requestPendingWhenPromoting = null;
        _node.Setup(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Callback(() =>
            {
                requestPendingWhenPromoting = File.Exists(RequestFile) && PromotionRequest.IsPending(_world.Standby.StateDirectory, _time.GetUtcNow());
                _facts = Promoted;
            })
            .ReturnsAsync(true);

        // Act
        var code = await PromoteAsync(Quick with { PromoteWait = TimeSpan.FromSeconds(90) });

        // Assert: the request stays for the worker, which clears it when it records the promotion
        Assert.Equal(0, code);
        Assert.True(requestPendingWhenPromoting);
        Assert.True(File.Exists(RequestFile));
        _node.Verify(n => n.PromoteAsync(90, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Contains("The primary postgres_master:5432 does not answer (connection refused): promoting this standby.", Said, StringComparison.Ordinal);
        Assert.Contains("Promoted: this node accepts writes on timeline 2; recovery ended at 0/5000060.", Said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_WorkerRecordsThePromotion_SaysItRunsAsAPrimary()
    {
        // Arrange: the running worker's status file shows the promotion once it recorded it
        var record = new PromotionRecord(SystemId, 2, 1, TestWorld.Start, "postgres_master:5432", PromotionRecord.ByCommand, "0/5000060");
        _node.Setup(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Callback(() =>
            {
                _facts = Promoted;
                _world.CreateHealth().SetPromotion(record);
            })
            .ReturnsAsync(true);

        // Act
        var code = await PromoteAsync(Quick);

        // Assert
        Assert.Equal(0, code);
        Assert.Contains($"The worker runs it as a primary from now on, restarts included: {record.Describe()}.", Said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_WorkerNeverRecordsIt_StillExitZeroAfterWaitingAMinute()
    {
        // Arrange
        PromotesOnRequest();

        // Act
        var code = await PromoteAsync(Quick);

        // Assert
        Assert.Equal(0, code);
        Assert.Contains("The worker has not reported the node as a primary yet", Said, StringComparison.Ordinal);
        Assert.True(_time.GetUtcNow() - TestWorld.Start >= TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task PromoteAsync_PromotionNotCompleteInTime_WithdrawnAndStaysAStandby()
    {
        // Arrange: pg_promote wrote its signal file, then gave up waiting; postgres still replays
        _node.Setup(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Callback(() => File.WriteAllText(PromoteSignal, string.Empty))
            .ReturnsAsync(false);

        // Act
        var code = await PromoteAsync(Quick with { PromoteWait = TimeSpan.FromSeconds(5) });

        // Assert
        Assert.Equal(1, code);
        Assert.False(File.Exists(RequestFile));
        Assert.False(File.Exists(PromoteSignal));
        Assert.Contains("did not finish promoting within 5 s", Said, StringComparison.Ordinal);
        Assert.Contains("--wait", Said, StringComparison.Ordinal);
        Assert.DoesNotContain("Promoted:", Said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_PgPromoteFails_RequestWithdrawnAndStaysAStandby()
    {
        // Arrange: the connection breaks during pg_promote; postgres never got the request
        _node.Setup(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Npgsql.NpgsqlException("Exception while reading from stream"));

        // Act
        var code = await PromoteAsync(Quick);

        // Assert
        Assert.Equal(1, code);
        Assert.False(File.Exists(RequestFile));
        Assert.Contains("pg_promote failed (Exception while reading from stream)", Said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_PromotionCompletedJustAfterTheWait_ExitZero()
    {
        // Arrange: pg_promote answered false, but postgres left recovery before the withdrawal
        _node.Setup(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Callback(() => _facts = Promoted)
            .ReturnsAsync(false);

        // Act
        var code = await PromoteAsync(Quick);

        // Assert
        Assert.Equal(0, code);
        Assert.True(File.Exists(RequestFile));
        Assert.Contains("Promoted: this node accepts writes on timeline 2", Said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_ReplayStopsMoving_PromotesOnceSettled()
    {
        // Arrange
        DateTimeOffset? promotedAt = null;
        _node.Setup(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Callback(() =>
            {
                promotedAt = _time.GetUtcNow();
                _facts = Promoted;
            })
            .ReturnsAsync(true);

        // Act
        var code = await PromoteAsync(PromoteOptions.Default);

        // Assert: replay did not move from the start, so Settled after the start
        Assert.Equal(0, code);
        Assert.Equal(TestWorld.Start + Promoter.Settled, promotedAt);
        Assert.Contains("This node replayed up to 0/5000060.", Said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_ReplayKeepsMoving_PromotesAtMaxWait()
    {
        // Arrange: every poll finds replay further on
        var polls = 0;
        _node.Setup(n => n.FactsAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => _facts == Replaying ? Replaying with { ReplayedLsn = $"0/50{++polls:X2}000" } : _facts);
        DateTimeOffset? promotedAt = null;
        _node.Setup(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Callback(() =>
            {
                promotedAt = _time.GetUtcNow();
                _facts = Promoted;
            })
            .ReturnsAsync(true);

        // Act
        var code = await PromoteAsync(PromoteOptions.Default with { MaxWait = TimeSpan.FromSeconds(5) });

        // Assert
        Assert.Equal(0, code);
        Assert.Equal(TestWorld.Start + TimeSpan.FromSeconds(5), promotedAt);
        Assert.Contains("--max-wait reached while replay still moved: promoting at 0/5006000", Said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_StaleMissingAnswersInTheSpool_ForgottenBeforeCatchUp()
    {
        // Arrange: pgBackRest's asynchronous archive-get queue
        var queue = Path.Combine("spool", "archive", _world.Repository.Stanza, "in");
        var missing = _world.Temp.WriteFile(Path.Combine(queue, "000000010000000000000007.ok"));
        var failed = _world.Temp.WriteFile(Path.Combine(queue, "000000010000000000000008.error"), "ERROR: [045]: unable to get WAL");
        var segment = _world.Temp.WriteFile(Path.Combine(queue, "000000010000000000000006"), "WAL");
        PromotesOnRequest();

        // Act
        await PromoteAsync(Quick);

        // Assert
        Assert.False(File.Exists(missing));
        Assert.False(File.Exists(failed));
        Assert.True(File.Exists(segment));
    }

    [Fact]
    public async Task PromoteAsync_ArchiveInfo_SaysTheNewestArchivedSegment()
    {
        // Arrange
        PromotesOnRequest();

        // Act
        await PromoteAsync(Quick);

        // Assert
        Assert.Contains("The archive's newest WAL: 000000010000000000000006.", Said, StringComparison.Ordinal);
        _shell.Verify(s => s.RunPgBackRestAsync(It.Is<IReadOnlyList<IReadOnlyList<string>>>(c => c.Count == 1 && c[0].SequenceEqual(InfoArguments)), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PromoteAsync_ArchiveInfoFails_UnknownWithItsErrorAndStillPromotes()
    {
        // Arrange
        AnswerInfo(new RemoteResult(29, string.Empty, "ERROR: [029]: unable to open missing file '/var/lib/pgbackrest/backup/psql/backup.info'"));
        PromotesOnRequest();

        // Act
        var code = await PromoteAsync(Quick);

        // Assert
        Assert.Equal(0, code);
        Assert.Contains("The archive's newest WAL: unknown (pgbackrest info exited 29: ERROR: [029]: unable to open missing file", Said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_RepositoryHostUnreachable_UnknownAndStillPromotes()
    {
        // Arrange: the old primary's host is down, which is why one promotes
        _shell.Setup(s => s.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PrimaryUnavailableException(PrimaryUnavailableKind.Unreachable, "pg-primary.example:22 does not answer"));
        PromotesOnRequest();

        // Act
        var code = await PromoteAsync(Quick);

        // Assert
        Assert.Equal(0, code);
        Assert.Contains("The archive's newest WAL: unknown (the repository's host does not answer: pg-primary.example:22 does not answer).", Said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_ArchiveInfoHangs_UnknownAfterThirtySecondsAndStillPromotes()
    {
        // Arrange: SSH connected, pgbackrest info never answers
        _shell.Setup(s => s.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns<IReadOnlyList<IReadOnlyList<string>>, CancellationToken>(async (_, token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return [];
            });
        PromotesOnRequest();

        // Act
        var promoting = _promoter.PromoteAsync(Quick, line => _said.Add(line), CancellationToken.None);
        var code = await _time.AdvanceUntilCompletedAsync(promoting, TimeSpan.FromSeconds(5));

        // Assert
        Assert.Equal(0, code);
        Assert.Contains("The archive's newest WAL: unknown (pgbackrest info did not answer within 30 s).", Said, StringComparison.Ordinal);
    }

    /// <summary>Runs the promote, advancing the fake clock one poll at a time, each time only once it waits again.</summary>
    private async Task<int> PromoteAsync(PromoteOptions options)
    {
        var promoting = _promoter.PromoteAsync(options, line => _said.Add(line), CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var advancedFor = 0;
        while (!promoting.IsCompleted)
        {
            if (_time.TimersCreated > advancedFor)
            {
                advancedFor = _time.TimersCreated;
                _time.Advance(TimeSpan.FromSeconds(1));
                continue;
            }

            Assert.True(DateTime.UtcNow < deadline, "pgstandby promote did not finish within 10 s of real time");
            await Task.WhenAny(promoting, Task.Delay(TimeSpan.FromMilliseconds(5)));
        }

        return await promoting;
    }

    private void PromotesOnRequest() =>
        _node.Setup(n => n.PromoteAsync(It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Callback(() => _facts = Promoted)
            .ReturnsAsync(true);

    private void AnswerInfo(RemoteResult result) =>
        _shell.Setup(s => s.RunPgBackRestAsync(It.IsAny<IReadOnlyList<IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new List<RemoteResult> { result });
}
