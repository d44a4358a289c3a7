using PgStandby.Core.Processes;

namespace PgStandby.Core.Promotion;

/// <summary>
/// Left in <c>PGSTANDBY_STATE_DIR</c> by <c>pgstandby promote</c> just before it asks postgres to promote: the
/// running worker that then finds postgres out of recovery knows the promotion was asked for, not done by hand.
/// </summary>
public static class PromotionRequest
{
    public const string FileName = "promote-request";

    /// <summary>A request older than this is a leftover of an interrupted promote, not the reason for a promotion now.</summary>
    public static readonly TimeSpan ValidFor = TimeSpan.FromMinutes(15);

    /// <summary>Written as the worker writes its files (owned by postgres when run as root), so a worker running as postgres reads it.</summary>
    public static void Write(FolderPreparer folders, string stateDirectory, DateTimeOffset now) =>
        folders.WriteOwnedFile(Path.Combine(stateDirectory, FileName), now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>Whether a request younger than <see cref="ValidFor"/> is there.</summary>
    public static bool IsPending(string stateDirectory, DateTimeOffset now) =>
        SafeFile.ReadText(Path.Combine(stateDirectory, FileName)) is { } text
        && long.TryParse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && now - DateTimeOffset.FromUnixTimeSeconds(seconds) < ValidFor;

    public static void Clear(string stateDirectory) => File.Delete(Path.Combine(stateDirectory, FileName));
}
