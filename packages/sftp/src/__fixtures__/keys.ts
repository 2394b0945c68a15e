// Public keys made by ssh-keygen (OpenSSH 9.2) for these tests, with the fingerprints
// `ssh-keygen -lf` printed and the lines `ssh-keygen -H` hashed. No private half is kept.

export const ED25519_PUBLIC =
  'AAAAC3NzaC1lZDI1NTE5AAAAIE4hEA8HAwSk8/XVfmCePtf73iTkZL0NHICl78Z9osod';
export const ED25519_FINGERPRINT = 'SHA256:uRfo9xKwvfKKtr16LZ+70jbzoCxjAWGmYczkqvW0WWw';

export const RSA_PUBLIC =
  'AAAAB3NzaC1yc2EAAAADAQABAAABAQDDn0JU6uRjd+jNr8qIZYe3Tcvovr7W+iUBGeE4Fd8rD4nHNC/SzrvWMqgXASYSfAn99gvPKS2ZDggFI0nBICo1/7i5AVE99wEmLgc8reZxLMHCuM988CBkTlCF33c4ZP9j7o/01x0T2VpkUd2wGMEGoHarEmKtg3zqJV6zT+8VFg/RP1lss+rDvGl5NqHvBs6vpTh1EVHDQdmSSxHxH+tNwIU17vp7EcwKQQFUZPj2KYbBcAhLmubxLTjwptxkfb3kZA2YsX0YpTkYf1QKDNOE5b9bs/TWbytiD5KhaLCiwHlSgQJ7oE1Nqyw2nf+AprrI1SEUaez2zF6URuziMi0N';
export const RSA_FINGERPRINT = 'SHA256:qlXIv8txQuCZFN1nYSWd+e6RcTehLZLs600hHXxeiOU';

/** `ssh-keygen -H` output for "[127.0.0.1]:2222 <ed25519>" and "example.org,10.0.0.5 <rsa>". */
export const HASHED_KNOWN_HOSTS = [
  `|1|INK+dKTHR+qDTYimMQExvxS7dIA=|ZC1qRXFQqcecEwPWOznxODfVxvY= ssh-ed25519 ${ED25519_PUBLIC}`,
  `|1|1+vA5gLoToQbbmPCtEnLcgUfee0=|eH6wwrQM6CgnI0x87PkMA/0fft0= ssh-rsa ${RSA_PUBLIC}`,
  `|1|eLYV4kCQTsrDsUh/6eCssJyVsCY=|9gSUa7LxhVqfjh2QiyZE/HhCPs0= ssh-rsa ${RSA_PUBLIC}`,
].join('\n');
