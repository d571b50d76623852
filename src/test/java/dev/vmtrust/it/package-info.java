/**
 * Sandbox "Colima VM" harness for integration tests (Failsafe, {@code *IT}); Linux + root only.
 *
 * <p>A VM is {@code scripts/sandbox-vm.sh}: a real sshd as PID 1 of private mount/UTS/PID(/net) namespaces with
 * copy-on-write /etc and /var, user limauser (ed25519 key only, NOPASSWD sudo), and a systemctl/service stand-in
 * driving a real dockerd. The host's trust store is never touched; everything a test changes lives in the VM dir.
 *
 * <pre>{@code
 * @TempDir Path tmp;
 *
 * @Test void pushesCa() {
 *     SandboxSupport.assumeDocker();                       // skip (or fail with VMTRUST_IT_REQUIRED=1)
 *     TestKeys keys = TestKeys.generate(tmp.resolve("keys"));
 *     TestCa ca = TestCa.create(tmp.resolve("pki"));       // ca.caPem() is the "corporate" CA
 *     try (SandboxVm vm = TlsRegistry.configure(SandboxVm.options(tmp.resolve("vm"), FreePort.pick(),
 *                 keys.publicKey())).docker(true).start();
 *          TlsRegistry registry = TlsRegistry.start(vm, ca, tmp.resolve("registry"))) {
 *         String image = registry.seedImage("tiny");       // registry.test:5000/tiny:latest
 *         // ... run the product against ssh limauser@127.0.0.1:vm.port() with keys.privateKey() ...
 *         assertThat(vm.exec("docker", "pull", image).ok()).isTrue();
 *     }
 * }
 * }</pre>
 * Without docker: {@code SandboxVm.start(dir, port, keys.publicKey(), net, false)} and {@code TlsServer} for an
 * HTTPS endpoint ({@code curl https://registry.test:PORT/} inside the VM).
 */
package dev.vmtrust.it;
