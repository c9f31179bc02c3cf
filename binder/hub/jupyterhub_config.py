# The collection's part of a JupyterHub configuration. Load it at the end of the hub's own jupyterhub_config.py:
#
#     load_subconfig("/opt/what-went-wrong/binder/hub/jupyterhub_config.py")   # the administrator's clone
#
# (or copy the lines). It chooses no authenticator and no spawner: those are the school's. The Littlest JupyterHub
# reads the same lines from /opt/tljh/config/jupyterhub_config.d/ (binder/hub/README.md); Zero to JupyterHub sets the
# same values in binder/hub/z2jh-values.yaml. tests/test_hub.py starts a real hub with this file.
import os

c = get_config()  # noqa: F821 (JupyterHub provides get_config when it loads this file)

# Students work in JupyterLab: the lessons' settings, hidden code and save hook are JupyterLab's.
c.Spawner.default_url = "/lab"

# The hand-in folder: the "Hand in my answers" button also writes each student's file here (one per student and
# lesson), and the teacher's dashboard offers it. The folder must exist with the permissions in binder/hub/README.md
# (students can add files but not list or read anyone's). Set WWW_HUB_HANDIN_DIR before starting the hub to move
# it, or to "" to keep hand-ins as downloads only.
handins = os.environ.get("WWW_HUB_HANDIN_DIR", "/srv/what-went-wrong/hand-ins")
if handins:
    c.Spawner.environment.update({"WWW_HANDIN_DIR": handins})

# A kernel whose port another process took in the moment between the server choosing it and the kernel binding it
# ("Address already in use": seen when 30 students opened a lesson at once in benchmarks/hub.py) is restarted on
# fresh ports. By default jupyter_client keeps the first ports for every restart, so the kernel failed five times and
# died. (Unix sockets would avoid ports altogether, but their paths under a home folder's runtime directory pass the
# 107-character limit for longer user names.)
c.Spawner.args.extend(["--KernelManager.cache_ports=False"])

# Memory: what a student's server and one lesson's kernel take is measured by benchmarks/hub.py (the README's hub
# section); a guarantee of 300 MB and a limit of 1 GB leave room for a second open lesson. Only spawners that enforce
# limits use them (systemd in The Littlest JupyterHub, Kubernetes in Zero to JupyterHub).
c.Spawner.mem_guarantee = "300M"
c.Spawner.mem_limit = "1G"
