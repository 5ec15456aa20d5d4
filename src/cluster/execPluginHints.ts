/**
 * What to do when a managed cluster's credential plugin fails, by plugin. Matched on the command's
 * base name (and its first argument for `aws`), shown after the plugin's own message. Sources:
 * each vendor's kubeconfig documentation, linked in the hint.
 */
export interface ExecPluginHint {
  /** Who ships the plugin, for the message. */
  vendor: string;
  matches: (command: string, args: readonly string[]) => boolean;
  /** How to get a fresh login. */
  login: string;
  /** How to install the plugin when it is missing. */
  install: string;
  docs: string;
}

const base = (command: string) =>
  command
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(exe|cmd)$/i, '');

export const EXEC_PLUGIN_HINTS: readonly ExecPluginHint[] = [
  {
    vendor: 'Amazon EKS',
    matches: (c, a) => (base(c) === 'aws' && a.includes('eks')) || base(c) === 'aws-iam-authenticator',
    login: 'log in again (aws sso login, or check AWS_PROFILE and your AWS credentials), then retry',
    install: 'install the AWS CLI v2 and run aws eks update-kubeconfig --name CLUSTER',
    docs: 'https://docs.aws.amazon.com/eks/latest/userguide/create-kubeconfig.html',
  },
  {
    vendor: 'Google GKE',
    matches: (c) => base(c) === 'gke-gcloud-auth-plugin',
    login: 'log in again (gcloud auth login), then retry',
    install: 'install it (gcloud components install gke-gcloud-auth-plugin) and run gcloud container clusters get-credentials CLUSTER',
    docs: 'https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin',
  },
  {
    vendor: 'Azure AKS',
    matches: (c) => base(c) === 'kubelogin',
    login: 'log in again (az login, or the login mode your kubeconfig uses: kubelogin convert-kubeconfig -l azurecli), then retry',
    install: 'install kubelogin (az aks install-cli) and run az aks get-credentials --resource-group GROUP --name CLUSTER',
    docs: 'https://azure.github.io/kubelogin/',
  },
  {
    vendor: 'OIDC (kubelogin)',
    matches: (c, a) => base(c) === 'kubectl-oidc_login' || (base(c) === 'kubectl' && a[0] === 'oidc-login'),
    login: 'log in once in a terminal (kubectl get ns opens the browser login), then retry',
    install: 'install it (kubectl krew install oidc-login)',
    docs: 'https://github.com/int128/kubelogin',
  },
];

export function execPluginHint(command: string, args: readonly string[]): ExecPluginHint | undefined {
  return EXEC_PLUGIN_HINTS.find((h) => h.matches(command, args));
}
