using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Ssh;
using PgStandby.Core.Tls;

namespace PgStandby.Core.Tests.Tls;

/// <summary>pgBackRest 2.45's own client-side errors over TLS (seen against a real server), and what each means for the worker.</summary>
public sealed class TlsClientErrorsTests
{
    private static readonly RepositoryOptions Options = new() { PrimaryHost = "primary.example", Transport = RepositoryTransport.Tls, TlsPort = 8432 };

    [Theory]
    [InlineData("ERROR: [049]: unable to connect to 'primary.example:8432 (10.0.0.5)': [111] Connection refused", PrimaryUnavailableKind.Unreachable)]
    [InlineData("""[{"name":"psql","status":{"code":99,"message":"other","lock":{"backup":{"held":false}}},"repo":[{"key":1,"status":{"code":99,"message":"[HostConnectError] unable to connect to 'primary.example:8432 (10.0.0.5)': [111] Connection refused"}}]}]""", PrimaryUnavailableKind.Unreachable)]
    [InlineData("WARN: repo1: [ServiceError] TLS error [1:167773208] tlsv1 alert unknown ca\nERROR: [103]: unable to find a valid repository", PrimaryUnavailableKind.KeyNotAuthorized)]
    [InlineData("ERROR: [101]: TLS error [1:167773205] sslv3 alert certificate expired", PrimaryUnavailableKind.KeyNotAuthorized)]
    [InlineData("""{"code":99,"message":"[AccessError] raised from remote-0 tls protocol on 'primary.example': access denied"}""", PrimaryUnavailableKind.KeyNotAuthorized)]
    [InlineData("ERROR: [095]: unable to find hostname 'primary.example' in certificate common name or subject alternative names", PrimaryUnavailableKind.HostKeyRejected)]
    [InlineData("ERROR: [095]: unable to verify certificate presented by 'primary.example:8432 (10.0.0.5)': [19] self-signed certificate in certificate chain", PrimaryUnavailableKind.HostKeyRejected)]
    public void Classify_LinkFailure_ThrowsWhatItMeans(string output, PrimaryUnavailableKind expected)
    {
        // Act
        var thrown = Assert.Throws<PrimaryUnavailableException>(() => TlsClientErrors.Classify(new RemoteResult(0, output, string.Empty), Options));

        // Assert
        Assert.Equal(expected, thrown.Kind);
        Assert.Contains("primary.example", thrown.Message, StringComparison.Ordinal);
        Assert.True(thrown.Message.Length < 400, thrown.Message);
    }

    [Fact]
    public void Classify_GreetingWithAnotherVersion_RefusesAsOverSsh()
    {
        // Arrange
        var output = "ERROR: [039]: expected value '2.45' for greeting key 'version' but got '2.99'\nHINT: is the same version of pgBackRest installed on the local and remote host?";

        // Act
        var thrown = Assert.Throws<StandbyException>(() => TlsClientErrors.Classify(new RemoteResult(39, string.Empty, output), Options));

        // Assert
        Assert.Contains("the primary primary.example runs 2.99, this standby runs 2.45", thrown.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NeedsOperator, thrown.ExitCode);
    }

    [Theory]
    [InlineData(0, """[{"name":"psql","status":{"code":0,"message":"ok"},"backup":[]}]""")]
    [InlineData(1, "ERROR: [055]: unable to load info file '/var/lib/pgbackrest/backup/psql/backup.info'")]
    public void Classify_CommandsOwnOutcome_ReturnedAsItIs(int exitCode, string output)
    {
        // Arrange
        var result = new RemoteResult(exitCode, output, string.Empty);

        // Act
        var returned = TlsClientErrors.Classify(result, Options);

        // Assert
        Assert.Same(result, returned);
    }
}
