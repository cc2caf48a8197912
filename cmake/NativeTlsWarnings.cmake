# The warning set every native source is compiled with; warnings are errors so they get fixed, not read.
function(nativetls_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes
                         -Wmissing-prototypes -Wno-unused-parameter -Werror -fstack-protector-strong)
endfunction()
