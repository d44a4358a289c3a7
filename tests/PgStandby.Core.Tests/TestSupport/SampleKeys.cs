using PgStandby.Core.Ssh;

namespace PgStandby.Core.Tests.TestSupport;

/// <summary>
/// Fixed public keys generated once with ssh-keygen; the fingerprints are what <c>ssh-keygen -lf</c> printed
/// for them, and the hashed lines what <c>ssh-keygen -H</c> wrote for primary.example.
/// </summary>
internal static class SampleKeys
{
    public const string Ed25519Base64 = "AAAAC3NzaC1lZDI1NTE5AAAAIAu0jJ8DoLDKuIxIizadaj3NG94v5T8jvAg5hibMUcS0";

    /// <summary>ssh-keygen -lf: "256 SHA256:2CQ48ETw98JoSnu2jfBxAm/wJ5YRGyeYtRx7HPRdY2o test@host (ED25519)".</summary>
    public const string Ed25519Fingerprint = "SHA256:2CQ48ETw98JoSnu2jfBxAm/wJ5YRGyeYtRx7HPRdY2o";

    public const string Ed25519PublicKeyLine = "ssh-ed25519 " + Ed25519Base64 + " test@host";

    public const string OtherEd25519Base64 = "AAAAC3NzaC1lZDI1NTE5AAAAID/OOeA+u7vy5J+mlVhHocJfeEgNEjBY2mO4VVNv1xBF";

    /// <summary>ssh-keygen -lf: "256 SHA256:ni8zhH9eUEyMQo3eWpJsaDkxxHPTqtKUOtbJ41CVSHs no comment (ED25519)".</summary>
    public const string OtherEd25519Fingerprint = "SHA256:ni8zhH9eUEyMQo3eWpJsaDkxxHPTqtKUOtbJ41CVSHs";

    public const string RsaBase64 = "AAAAB3NzaC1yc2EAAAADAQABAAAAgQCvjsqlqVChb9bKDNjLhMk+NBVC9SgKit61O4tNMf3Phur9lohKECjFafTHKj7LVxZvrSB3sES+GSCOmaSrafVaAhlphmFFPilNjEn8Yp8EOd472xQabhc6KLiSzuEaNH1ytE7vzn9srVRDkNH/QbYW9hd0h63RobMVL7YdpNEWYQ==";

    /// <summary>ssh-keygen -lf: "1024 SHA256:xKBp31HlRUNT/31nkWDoyY2wuRqNdI0nXnyUdAw9cgU root@vm (RSA)".</summary>
    public const string RsaFingerprint = "SHA256:xKBp31HlRUNT/31nkWDoyY2wuRqNdI0nXnyUdAw9cgU";

    public const string Host = "primary.example";

    /// <summary>ssh-keygen -H of "primary.example ssh-ed25519 …" (port 22).</summary>
    public const string HashedLinePort22 = "|1|Jy2tXoT8GomYJQRJ4Q/Ws1PRYzc=|gCFTF2xNprZRk9ptMBJIS4U0TRw= ssh-ed25519 " + Ed25519Base64;

    /// <summary>ssh-keygen -H of "[primary.example]:2222 ssh-ed25519 …".</summary>
    public const string HashedLinePort2222 = "|1|qsWjdHChwCnNmx1HYyDwcMG+HU8=|VqoXDou5DprA+98nDsj4oetZUSs= ssh-ed25519 " + Ed25519Base64;

    public static SshKeyBlob Ed25519 => SshKeyBlob.FromBase64(Ed25519Base64)!;

    public static SshKeyBlob OtherEd25519 => SshKeyBlob.FromBase64(OtherEd25519Base64)!;

    public static SshKeyBlob Rsa => SshKeyBlob.FromBase64(RsaBase64)!;
}
