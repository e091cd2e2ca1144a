namespace ClerkSessions.Emulator.Api;

/// <summary>
/// The users, clients and sessions of an emulated instance. Seeded deterministically: the same seed and sizes give
/// the same ids and statuses. Every user has two clients (browsers) and one organization; the first half (rounded
/// up) of a user's sessions are active and the rest take each other status in turn, so a seeded instance holds every
/// status. Sessions are listed newest first, as Clerk lists them.
/// </summary>
internal sealed class InstanceState
{
    /// <summary>The statuses a seeded session that is not active takes in turn.</summary>
    public static readonly IReadOnlyList<string> OtherStatuses = new[] { "revoked", "ended", "expired", "removed", "abandoned", "replaced", "pending" };

    private readonly Dictionary<string, EmulatedSession> _sessions = new(StringComparer.Ordinal);
    private readonly List<EmulatedSession> _ordered = new();
    private readonly Dictionary<string, string> _organizationByUser = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumedTokens = new(StringComparer.Ordinal);
    private readonly int _seed;

    public InstanceState(int seed, int users, int sessionsPerUser, long nowMs)
    {
        _seed = seed;
        var userIds = new List<string>();
        var otherIndex = 0;
        for (var user = 0; user < users; user++)
        {
            var userId = ClerkIds.Derive("user", seed, "user", user);
            userIds.Add(userId);
            _organizationByUser[userId] = ClerkIds.Derive("org", seed, "org", user);
            var clients = new[] { ClerkIds.Derive("client", seed, "client", user * 2), ClerkIds.Derive("client", seed, "client", (user * 2) + 1) };
            var active = (sessionsPerUser + 1) / 2;
            for (var index = 0; index < sessionsPerUser; index++)
            {
                var number = (user * sessionsPerUser) + index;
                var status = index < active ? "active" : OtherStatuses[otherIndex++ % OtherStatuses.Count];

                // Older sessions first, a minute apart, so "newest first" has one answer.
                var createdAt = nowMs - ((long)((users * sessionsPerUser) - number) * 60_000);
                var session = new EmulatedSession(ClerkIds.Derive("sess", seed, "session", number), userId, clients[index % 2], status, createdAt, number, nowMs)
                {
                    RefreshToken = ClerkIds.Derive("rt", seed, "refresh", number),
                };
                Add(session);
            }
        }

        UserIds = userIds.ToArray();
    }

    public IReadOnlyList<string> UserIds { get; }

    public string OrganizationOf(string userId) => _organizationByUser[userId];

    public object Gate { get; } = new();

    public EmulatedSession? Find(string sessionId) => _sessions.TryGetValue(sessionId, out var session) ? session : null;

    public bool HasUser(string userId) => _organizationByUser.ContainsKey(userId);

    public bool IsMember(string userId, string organizationId) => _organizationByUser.TryGetValue(userId, out var organization) && organization == organizationId;

    /// <summary>Sessions matching every filter given, newest first.</summary>
    public List<EmulatedSession> List(string? userId, string? clientId, string? status)
    {
        var result = new List<EmulatedSession>();
        for (var index = _ordered.Count - 1; index >= 0; index--)
        {
            var session = _ordered[index];
            if ((userId is null || session.UserId == userId) && (clientId is null || session.ClientId == clientId) && (status is null || session.Status == status))
            {
                result.Add(session);
            }
        }

        return result;
    }

    public EmulatedSession Create(string userId, string? organizationId, long nowMs)
    {
        var number = _ordered.Count;
        var session = new EmulatedSession(ClerkIds.Random("sess"), userId, ClerkIds.Random("client"), "active", nowMs, number, nowMs)
        {
            OrganizationId = organizationId,
            RefreshToken = ClerkIds.Derive("rt", _seed, "refresh", number),
        };
        Add(session);
        return session;
    }

    /// <summary>Marks an expired session token as used for a refresh; false when it already was.</summary>
    public bool Consume(string expiredToken) => _consumedTokens.Add(expiredToken);

    private void Add(EmulatedSession session)
    {
        _sessions.Add(session.Id, session);
        _ordered.Add(session);
    }
}
