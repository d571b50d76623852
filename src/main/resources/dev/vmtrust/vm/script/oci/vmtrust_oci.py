# vmtrust's OCI helper, written into the VM by vmtrust (containers.inject); the next sync rewrites it.
# Contract: README "Containers and builds". Run by /etc/vmtrust/runtime/runc (python3 -I -S):
#   spec runtime|build RUNC-ARGS...  on create/run: edit BUNDLE/config.json; on exec: the --process file
#   daemon-json on|keep|off|default-runc|drop-runc  edit /etc/docker/daemon.json: prints changed, same or
#                                     blocked NAME (on, when another default-runtime is set: exit 3)
#   daemon-json status                read-only: prints on, registered, blocked NAME or absent
# spec never fails the container: every problem is one line in LOG and runc runs the spec as it was.
# Mounts go under /dev (a tmpfs in Docker's and BuildKit's specs), so no RUN step's layer gets a stub.
import json
import os
import stat
import sys
import time

R = os.environ.get('VMTRUST_ROOT', '')  # a path prefix for tests only
RUNTIME = '/etc/vmtrust/runtime'
WRAPPER = RUNTIME + '/runc'
INJECT = R + '/etc/vmtrust/containers/inject'  # present iff injection is on; line 1: the VM's bundle
CORP = '/etc/vmtrust/containers/corporate.pem'
DAEMON_JSON = R + '/etc/docker/daemon.json'
LOG = R + '/var/log/vmtrust-runtime.log'
DEST = '/dev/vmtrust'
BUNDLE_AT = DEST + '/ca-bundle.pem'
CORP_AT = DEST + '/corporate.pem'
MERGED_AT = DEST + '/merged'
REPLACING = ('SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'PIP_CERT', 'GIT_SSL_CAINFO',
             'AWS_CA_BUNDLE')
APPENDING = 'NODE_EXTRA_CA_CERTS'  # node adds it to its own roots: the corporate CAs alone suffice
NAME = 'vmtrust'
OPT_OUT_ENV = 'VMTRUST_INJECT'
OPT_OUT_ANNOTATION = 'dev.vmtrust.inject'
OFF_WORDS = ('0', 'false', 'no', 'off')
GLOBAL_WITH_VALUE = ('root', 'log', 'log-format', 'criu', 'rootless')
MAX_JSON = 32 << 20
MAX_CA_FILE = 16 << 20
MAX_LOG = 1 << 20
RO = ['bind', 'ro', 'nosuid', 'nodev', 'noexec']


class Skip(Exception):
    """The container runs as it is; the message goes to the log."""


def log(msg):
    try:
        if os.path.getsize(LOG) > MAX_LOG:
            os.replace(LOG, LOG + '.1')
    except OSError:
        pass
    try:
        fd = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            line = '%s vmtrust-runtime[%d]: %s\n' % (time.strftime('%Y-%m-%dT%H:%M:%S'), os.getpid(), msg)
            os.write(fd, line.encode('utf-8', 'replace'))
        finally:
            os.close(fd)
    except OSError:
        pass


def read_json(path):
    with open(path, 'rb') as f:
        data = f.read(MAX_JSON + 1)
    if len(data) > MAX_JSON:
        raise Skip('%s is larger than %d bytes' % (path, MAX_JSON))
    try:
        return json.loads(data.decode('utf-8'))
    except ValueError as e:
        raise Skip('%s is not valid JSON (%s)' % (path, e))


def write_atomic(path, data, mode):
    tmp = path + '.vmtrust.tmp'
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def write_json(path, doc, indent=None, newline=True):
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o644
    text = json.dumps(doc, indent=indent, separators=None if indent else (',', ':'), ensure_ascii=False)
    write_atomic(path, (text + ('\n' if newline else '')).encode('utf-8'), mode)


def runc_command(argv):
    """(subcommand, its arguments) from runc's argv, skipping global options and their values."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if not a.startswith('-'):
            return a, argv[i + 1:]
        i += 2 if '=' not in a and a.lstrip('-') in GLOBAL_WITH_VALUE else 1
    return None, []


def option(args, *names):
    """The value of the first of NAMES in ARGS: -N V, --N V, -N=V or --N=V (urfave/cli takes all four)."""
    for i, a in enumerate(args):
        if not a.startswith('-'):
            continue
        key, eq, value = a.lstrip('-').partition('=')
        if key in names:
            if eq:
                return value
            if i + 1 < len(args):
                return args[i + 1]
    return None


def env_map(env):
    """First value of each name, as getenv in Go and glibc sees it."""
    seen = {}
    for e in env:
        if isinstance(e, str):
            k, _, v = e.partition('=')
            seen.setdefault(k, v)
    return seen


def opted_out(env, annotations):
    if env.get(OPT_OUT_ENV, '').strip().lower() in OFF_WORDS:
        return True
    a = annotations.get(OPT_OUT_ANNOTATION, '') if isinstance(annotations, dict) else ''
    return isinstance(a, str) and a.strip().lower() in OFF_WORDS


def norm(p):
    return '/' + '/'.join(x for x in str(p).split('/') if x not in ('', '.'))


def in_rootfs(rootfs, path):
    """PATH as the container would open it, resolved inside ROOTFS (symlinks never leave it), or None."""
    parts = [x for x in path.split('/') if x not in ('', '.')]
    done = []
    hops = 0
    while parts:
        c = parts.pop(0)
        if c == '..':
            if done:
                done.pop()
            continue
        cand = os.path.join(rootfs, *(done + [c]))
        try:
            st = os.lstat(cand)
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode):
            hops += 1
            if hops > 40:
                return None
            target = os.readlink(cand)
            if target.startswith('/'):
                done = []
            parts = [x for x in target.split('/') if x not in ('', '.')] + parts
            continue
        done.append(c)
    return os.path.join(rootfs, *done) if done else None


def read_ca_file(path):
    """The bytes of a regular file of at most MAX_CA_FILE bytes, opened without following a last link."""
    fd = os.open(path, os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_NONBLOCK', 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CA_FILE:
            return None
        chunks = []
        left = MAX_CA_FILE + 1
        while left > 0:
            b = os.read(fd, min(left, 1 << 20))
            if not b:
                break
            chunks.append(b)
            left -= len(b)
        data = b''.join(chunks)
        return None if len(data) > MAX_CA_FILE else data
    finally:
        os.close(fd)


def regular(path):
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def edit_create(bundle):
    path = os.path.join(bundle, 'config.json')
    spec = read_json(path)
    if not isinstance(spec, dict):
        raise Skip('%s: not an OCI spec' % path)
    proc = spec.get('process')
    if not isinstance(proc, dict):
        raise Skip('%s: no process' % path)
    env_list = proc.get('env')
    if env_list is None:
        env_list = []
    if not isinstance(env_list, list):
        raise Skip('%s: process.env is not a list' % path)
    env = env_map(env_list)
    if opted_out(env, spec.get('annotations') or {}):
        return
    mounts = spec.get('mounts')
    if mounts is None:
        mounts = []
    if not isinstance(mounts, list):
        raise Skip('%s: mounts is not a list' % path)
    dev_tmpfs = False
    for m in mounts:
        if not isinstance(m, dict):
            raise Skip('%s: a mount is not an object' % path)
        d = norm(m.get('destination', ''))
        if d == DEST or d.startswith(DEST + '/'):
            return  # already done (or the container mounts something there itself)
        if d == '/dev':
            dev_tmpfs = m.get('type') == 'tmpfs'
    if not dev_tmpfs:
        raise Skip('%s: /dev is not a tmpfs in this spec, so a mount there would leave a trace; not injected' % path)
    try:
        with open(INJECT) as f:
            system_bundle = f.readline().strip()
    except OSError:
        return  # injection was turned off meanwhile
    if not system_bundle.startswith('/') or not regular(R + system_bundle):
        raise Skip('the VM bundle %s is missing; not injected' % system_bundle)
    if not regular(R + CORP):
        raise Skip('%s is missing; not injected' % CORP)
    root = spec.get('root') if isinstance(spec.get('root'), dict) else {}
    rootfs = root.get('path') or 'rootfs'
    if not rootfs.startswith('/'):
        rootfs = os.path.join(bundle, rootfs)

    added = [{'destination': BUNDLE_AT, 'type': 'bind', 'source': system_bundle, 'options': list(RO)},
             {'destination': CORP_AT, 'type': 'bind', 'source': CORP, 'options': list(RO)}]
    values = {}   # name -> the value the container gets
    was = {}      # name -> the image's value, for names merged with it
    merged = {}   # image path -> file name in the merged folder
    corp = None
    for name in REPLACING + (APPENDING,):
        ours = CORP_AT if name == APPENDING else BUNDLE_AT
        have = env.get(name)
        if have is None or have.strip() == '':
            values[name] = ours
            continue
        if have in (ours, BUNDLE_AT, CORP_AT) or have.startswith(MERGED_AT + '/'):
            continue
        if not have.startswith('/'):
            continue  # relative to a working folder: left as the image set it
        if have not in merged:
            src = in_rootfs(rootfs, have)
            data = read_ca_file(src) if src else None
            if data is None:
                continue  # not a file in the image (a folder, a volume, made at run time): left as set
            if corp is None:
                corp = read_ca_file(R + CORP) or b''
            out = os.path.join(bundle, 'vmtrust-merged')
            if not os.path.isdir(out):
                os.mkdir(out, 0o755)
                os.chmod(out, 0o755)
            fname = '%d.pem' % (len(merged) + 1)
            write_atomic(os.path.join(out, fname), data + (b'' if data.endswith(b'\n') else b'\n') + corp, 0o644)
            merged[have] = fname
        values[name] = MERGED_AT + '/' + merged[have]
        was[name] = have
    if merged:
        added.append({'destination': MERGED_AT, 'type': 'bind', 'source': os.path.join(bundle, 'vmtrust-merged'),
                      'options': ['rbind'] + RO[1:]})
    # every entry of a name set here goes (an empty one, or the image's path that was merged)
    proc['env'] = [e for e in env_list if not (isinstance(e, str) and e.partition('=')[0] in values)] + [
        name + '=' + values[name] for name in REPLACING + (APPENDING,) if name in values]
    spec['mounts'] = mounts + added
    # for runc exec (docker exec): what this container got, next to its config.json
    write_atomic(os.path.join(bundle, 'vmtrust.env.json'),
                 json.dumps({'set': values, 'was': was}).encode('utf-8'), 0o600)
    write_json(path, spec)


def edit_exec(args):
    """docker exec: the shim's process file gets what the container got at create (its bundle holds the pid file)."""
    process = option(args, 'process', 'p')
    pid_file = option(args, 'pid-file')
    if not process or not pid_file:
        return
    record = os.path.join(os.path.dirname(pid_file), 'vmtrust.env.json')
    if not os.path.isfile(record):
        return
    got = read_json(record)
    proc = read_json(process)
    if not isinstance(proc, dict) or not isinstance(got, dict):
        raise Skip('%s: not a process object' % process)
    env_list = proc.get('env') or []
    env = env_map(env_list)
    values = got.get('set') or {}
    was = got.get('was') or {}
    # a name the exec sets itself (docker exec -e) keeps its value; unset, empty or the image's own get ours
    mine = dict((k, v) for k, v in values.items() if isinstance(k, str) and isinstance(v, str)
                and (env.get(k) is None or env.get(k).strip() == '' or env.get(k) == was.get(k)))
    if mine:
        proc['env'] = [e for e in env_list if not (isinstance(e, str) and e.partition('=')[0] in mine)] + [
            k + '=' + v for k, v in sorted(mine.items())]
        write_json(process, proc)


def spec(mode, argv):
    sub, args = runc_command(argv)
    if sub == 'exec':
        edit_exec(args)
        return
    if sub == 'create' and mode != 'runtime':
        return
    if sub not in ('create', 'run'):
        return
    edit_create(option(args, 'bundle', 'b') or os.getcwd())


def daemon_json(action):
    newline = True  # as the file had it (Colima writes none): off after on gives back the same bytes
    try:
        doc = read_json(DAEMON_JSON)
        with open(DAEMON_JSON, 'rb') as f:
            f.seek(0, 2)
            if f.tell() > 0:
                f.seek(-1, 2)
                newline = f.read(1) == b'\n'
    except FileNotFoundError:
        doc = {}
    if not isinstance(doc, dict):
        raise Skip('%s is not a JSON object' % DAEMON_JSON)
    before = json.dumps(doc, sort_keys=True)
    runtimes = doc.get('runtimes')
    if runtimes is None:
        runtimes = {}
    if not isinstance(runtimes, dict):
        raise Skip('%s: "runtimes" is not an object' % DAEMON_JSON)
    default = doc.get('default-runtime')
    if action == 'status':
        mine = isinstance(runtimes.get(NAME), dict) and runtimes[NAME].get('path') == WRAPPER
        if default not in (None, '', NAME, 'runc'):
            print('blocked %s' % safe_word(default))
        elif mine and default == NAME:
            print('on')
        else:
            print('registered' if mine else 'absent')
        return 0
    if action == 'drop-runc':
        if default != 'runc':
            print('same')
            return 0
        doc.pop('default-runtime', None)
    elif action in ('on', 'keep', 'default-runc'):
        runtimes[NAME] = {'path': WRAPPER}
        doc['runtimes'] = runtimes
    else:
        runtimes.pop(NAME, None)
        if runtimes:
            doc['runtimes'] = runtimes
        else:
            doc.pop('runtimes', None)
    if action == 'on':  # an explicit "runc" is the stock default: replaced; any other runtime is the user's
        if default not in (None, '', NAME, 'runc'):
            print('blocked %s' % safe_word(default))
            return 3
        doc['default-runtime'] = NAME
    elif action == 'default-runc':
        if default in (None, '', NAME):
            doc['default-runtime'] = 'runc'
    elif default == NAME:
        doc.pop('default-runtime', None)
    if json.dumps(doc, sort_keys=True) == before:
        print('same')
        return 0
    d = os.path.dirname(DAEMON_JSON)
    if not os.path.isdir(d):
        os.makedirs(d, 0o755)
    write_json(DAEMON_JSON, doc, indent=2, newline=newline)
    print('changed')
    return 0


def safe_word(v):
    """A runtime name as one printable word (it ends up in a vmtrust: line)."""
    w = ''.join(c if c.isalnum() or c in '._-' else '_' for c in str(v))[:64]
    return w or '_'


def main(argv):
    if len(argv) >= 2 and argv[0] == 'spec':
        try:
            spec(argv[1], argv[2:])
        except Skip as e:
            log(str(e))
        except Exception as e:  # fail open: runc runs the spec as it was
            log('%s: %s' % (type(e).__name__, e))
        return 0
    if len(argv) == 2 and argv[0] == 'daemon-json' and argv[1] in ('on', 'keep', 'off', 'default-runc', 'drop-runc',
                                                                  'status'):
        try:
            return daemon_json(argv[1])
        except (Skip, OSError) as e:
            log('daemon.json: %s' % e)
            sys.stderr.write('vmtrust: %s\n' % e)
            return 1
    sys.stderr.write('usage: vmtrust_oci.py spec runtime|build RUNC-ARGS... | daemon-json ACTION\n')
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
