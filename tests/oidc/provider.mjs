// A real OpenID Connect provider for the tests (panva's oidc-provider, certified), on the
// loopback address only. Who signs in is whoever types a name at its login page; their
// groups are ACCOUNTS' (in the `groups` claim, with the profile, as Entra ID sends group ids).
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const ACCOUNTS = {
  ann: { name: 'Ann Analyst', groups: ['sg-performance'] },
  pat: { name: 'Pat Panel', groups: ['sg-members', 'sg-everyone'] },
  max: { name: 'Max Manager', groups: ['sg-safeguarding-managers'] },
  nobody: { name: 'No Body', groups: ['sg-everyone'] },
  clash: { name: 'Clash at the Provider', groups: ['sg-members'] },
};
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'scrutineer',
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'], email: ['email'] },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const known = ACCOUNTS[id] ?? { name: id, groups: [] };
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: known.name, preferred_username: id, email: `${id}@council.example`, groups: known.groups };
      },
    };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['a test key, not a secret'] },
});
provider.listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
